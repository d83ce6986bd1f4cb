// The bench flags of the many-connections phase: the crowd scenarios inside --scenario, --idle=LIST,
// and the refusal of an N this machine cannot hold (one line, exit 2, before anything runs).
// bench-args.ts calls these; like it, they throw an Error whose message is the line to print.

import { SERVE_OPTIONS } from '../../servers/options.js'
import { CROWD_DEFAULTS, CROWD_SCENARIO_NAMES, CROWD_SMOKE, CROWD_TIMING, type CrowdConfig, crowdFitRefusal, type CrowdScenarioName, isCrowdScenarioName, PROBE } from '../driver/crowd-scenarios.js'
import { isScenarioName, SCENARIO_NAMES } from '../driver/scenarios.js'
import { ephemeralPortCount, raiseOwnOpenFileLimit } from '../host/open-files.js'

/** Above the open-file limit anyway on any ordinary machine; a larger N is a typo. */
const MAX_CROWD = 1_000_000

export interface ScenarioSplit {
  /** The closed-loop part of --scenario for bench-args' list(): undefined = all, null = none asked. */
  closedLoop: string | undefined | null
  crowds: CrowdScenarioName[]
}

/**
 * Split --scenario into closed-loop names and crowd names. No flag: every closed-loop scenario and
 * the default crowd (`idle`); `all`: everything. A name in neither set is refused (one line).
 */
export function splitScenarioFlag(value: string | undefined): ScenarioSplit {
  if (value === undefined) return { closedLoop: undefined, crowds: [...CROWD_DEFAULTS.scenarios] }
  const names = value.split(',').map((s) => s.trim())
  const unknown = names.find((n) => n !== 'all' && !isScenarioName(n) && !isCrowdScenarioName(n))
  if (unknown !== undefined) throw new Error(`unknown scenario ${JSON.stringify(unknown)} (known: ${[...SCENARIO_NAMES, ...CROWD_SCENARIO_NAMES].join(', ')}, all)`)
  if (names.includes('all')) return { closedLoop: 'all', crowds: [...CROWD_SCENARIO_NAMES] }
  const crowds = [...new Set(names.filter(isCrowdScenarioName))]
  const rest = names.filter((n) => !isCrowdScenarioName(n))
  return { closedLoop: rest.length === 0 && crowds.length > 0 ? null : rest.join(','), crowds }
}

/** The crowd phase's config, or undefined when no crowd scenario was asked for. Notes go to `notes`. */
export function crowdConfigFrom(
  crowds: CrowdScenarioName[],
  idleFlag: string | undefined,
  options: { smoke: boolean; models: readonly string[]; notes: string[] },
): CrowdConfig | undefined {
  if (crowds.length === 0) {
    if (idleFlag !== undefined) throw new Error(`--idle sets the crowd sizes of ${CROWD_SCENARIO_NAMES.join(', ')}: add one of them to --scenario`)
    return undefined
  }
  let levels = idleFlag === undefined ? [...CROWD_DEFAULTS.levels] : crowdLevels(idleFlag)
  if (options.smoke) levels = [Math.min(levels[0]!, CROWD_SMOKE.maxConnections)]

  const limit = raiseOwnOpenFileLimit()
  options.notes.push(limit.note)
  const refusal = crowdFitRefusal(levels, limit.soft, ephemeralPortCount())
  if (refusal !== null) throw new Error(refusal)

  const maxProcs = SERVE_OPTIONS.find((o) => o.key === 'maxProcs')!.default as number
  const over = levels.filter((n) => n > maxProcs)
  if (options.models.includes('fork') && over.length > 0) {
    options.notes.push(`fork is not run at N = ${over.join(', ')}: above --max-procs = ${maxProcs}, one process per connection (shown as such in the crowd table)`)
  }
  return {
    scenarios: crowds,
    levels,
    maxProcs,
    probe: { ratePerSec: PROBE.ratePerSec, timeoutMs: PROBE.timeoutMs },
    openFiles: limit.soft,
    baselineSec: options.smoke ? CROWD_SMOKE.baselineSec : CROWD_TIMING.baselineSec,
    burstCapSec: options.smoke ? CROWD_SMOKE.burstCapSec : CROWD_TIMING.burstCapSec,
    quietMs: options.smoke ? CROWD_SMOKE.quietMs : CROWD_TIMING.quietMs,
    settleSec: options.smoke ? CROWD_SMOKE.settleSec : CROWD_TIMING.settleSec,
  }
}

function crowdLevels(value: string): number[] {
  const levels = value.split(',').map((s) => {
    const t = s.trim()
    if (!/^[0-9]+$/.test(t) || Number(t) < 1 || Number(t) > MAX_CROWD) {
      throw new Error(`--idle must list whole numbers of connections from 1 to ${MAX_CROWD.toLocaleString('en-US')}, not ${JSON.stringify(t)}`)
    }
    return Number(t)
  })
  return [...new Set(levels)].sort((a, b) => a - b)
}
