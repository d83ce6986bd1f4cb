// When each request of an open-loop run is due, as offsets in ms from the run's start: Poisson
// arrivals (independent exponential gaps with mean 1/rate, mutilate's and TailBench's default) or
// uniform ones (equal gaps, wrk2's schedule). The gaps come from a seeded generator, so a run's
// schedule can be reproduced exactly from its seed. Pure: no clock, no I/O.

import type { Arrivals } from '../types.js'

/** A seeded uniform generator on [0, 1): mulberry32 (32-bit state; ample for arrival gaps). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface ArrivalSchedule {
  /** The offset in ms of the next arrival from the schedule's start; every call moves on by one. */
  next(): number
}

/** The default seed when a spec gives none: a fixed one, so an unseeded run still reproduces. */
export const DEFAULT_SEED = 1

/**
 * Arrival offsets for `rate` requests per second. Uniform: the first at the start, then every
 * 1/rate, so a window of length T from the start holds exactly rate·T. Poisson: the first one
 * exponential gap after the start (a Poisson process observed from time 0), so the count due in
 * any window of length T has mean rate·T wherever the window lies.
 */
export function arrivalSchedule(arrivals: Arrivals, rate: number, seed: number = DEFAULT_SEED): ArrivalSchedule {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`arrival rate must be a positive number (got ${rate})`)
  const meanGapMs = 1000 / rate
  let at = 0
  if (arrivals === 'uniform') {
    let n = 0
    // multiply rather than add, so float error does not accumulate over millions of arrivals
    return { next: () => n++ * meanGapMs }
  }
  if (arrivals !== 'poisson') throw new Error(`arrivals must be poisson or uniform (got ${String(arrivals)})`)
  const random = seededRandom(seed)
  return {
    next: () => {
      // inverse transform: 1 − u is in (0, 1], so the log is finite
      at += -Math.log(1 - random()) * meanGapMs
      return at
    },
  }
}
