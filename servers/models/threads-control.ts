// What the threads model's main thread and its pooled threads share: the task a thread receives,
// the data each thread starts with, and the layout of the control words (a SharedArrayBuffer)
// through which main tells every thread, at once, to drain or abort.
import type { ServeOptions } from './model.js'
import type { Peer } from './session.js'

/** A connection to serve (its fd number and peer address), or 'ready' to check the app opened. */
export type ThreadsTask = { fd: number; peer: Peer } | 'ready'

export interface ThreadsWorkerData {
  options: ServeOptions
  /** Int32 control words, see below. */
  control: SharedArrayBuffer
  /** BroadcastChannel name on which main asks every thread to close its app before exit. */
  channel: string
}

/** Control word: the server's state. Threads sleeping in Atomics.wait on it wake when it changes. */
export const STATE = 0
/** A word nobody notifies: Atomics.wait on it is a plain sleep, even while shutting down. */
export const SLEEP = 1
export const CONTROL_WORDS = 2

export const RUNNING = 0
/** Finish in-flight requests, close idle connections. */
export const DRAINING = 1
/** The shutdown deadline passed: drop every connection now. */
export const ABORTING = 2
