// CLI: `npm run bench:check [-- --update]` — the quick CI performance gate (issue 5).
// Measures each checked model against node-http in the same rounds, compares the ratios with
// results/baseline.json (gate/run-check.ts), confirms a suspect with fresh rounds, and says which cell
// regressed and by how much. Exit 0 pass, 1 regression or failed run, 2 bad flags / no baseline.

import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { readBaseline, writeBaseline, type Baseline, type CheckConfig } from '../gate/baseline.js'
import { CHECK_USAGE, parseCheckArgs, type CheckArgs } from './check-args.js'
import { recordBaseline, runCheck, sameMachineKind, type GateIo } from '../gate/run-check.js'
import { CHECK_CELLS, describeCheckCell } from '../gate/plan.js'
import { describeVerdict } from '../gate/verdict.js'
import { FlagError } from './flags.js'
import { defaultResultsDir, repoRoot } from '../host/paths.js'
import { runDuetRound } from '../driver/duet-round.js'
import { runContext } from '../host/run-context.js'
import { pinThisProcess, planPinning } from '../host/cpu-pinning.js'
import { SLOWDOWN_ENV } from '../../servers/app/slowdown.js'
import { type CellSpec, cellKey } from '../driver/matrix.js'



const say = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

function fail(message: string, code: number): never {
  say(`bench:check: ${message}`)
  process.exit(code)
}

/** Bind this process (the load client) and the servers to separate CPUs when the configuration
 * asks for it and this machine can; otherwise say why not. Returns the servers' CPU. */
function pinAsConfigured(config: CheckConfig): number | undefined {
  if (config.pin !== true) return undefined
  const plan = planPinning()
  if ('unavailable' in plan) {
    say(`note: running unpinned, unlike the baseline: ${plan.unavailable}`)
    return undefined
  }
  pinThisProcess(plan.client)
  say(`pinned: load client on CPU ${plan.client}, servers on CPU ${plan.server}`)
  return plan.server
}

function ioFor(config: CheckConfig, inject: CheckArgs['injectSlowdown']): GateIo {
  // A server's env replaces ours (server-process.ts), so the injected one carries ours too.
  const slowEnv = inject === undefined ? undefined : { ...process.env, [SLOWDOWN_ENV]: String(inject.us) }
  const serverCpu = pinAsConfigured(config)
  return {
    log: say,
    runGroupRound: (group, _round, order) =>
      runDuetRound(group, order, {
        durationSec: config.durationSec,
        sliceSec: config.sliceSec,
        warmupSec: config.warmupSec,
        driver: config.driver,
        envFor: (model) => (inject !== undefined && model === inject.model ? slowEnv : undefined),
        serverCpu,
      }),
  }
}

function pickCells(all: readonly CellSpec[], models: string[] | undefined): CellSpec[] {
  if (models === undefined) return [...all]
  const picked = all.filter((c) => models.includes(c.model))
  if (picked.length === 0) throw new FlagError(`--model=${models.join(',')} matches no checked cell (${all.map(cellKey).join(', ')})`)
  return picked
}

function writeRecord(path: string, record: unknown): void {
  if (path === '') return
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`)
  say(`record: ${path}`)
}

async function update(args: CheckArgs): Promise<number> {
  const cells = pickCells(CHECK_CELLS, args.models)
  const context = runContext(repoRoot())
  const { baseline, sessions } = await recordBaseline(cells, args.config, args.sessions, context, ioFor(args.config, undefined))
  writeBaseline(args.baselinePath, baseline)
  say(`baseline written to ${args.baselinePath} (commit ${context.commit.slice(0, 12)}${context.dirty ? ' + uncommitted changes' : ''}, ${context.machine.cpuModel} × ${context.machine.cores}, Node ${context.node})`)
  for (const c of baseline.cells) {
    for (const [label, m] of [['req/s ÷ node-http', c.throughput], ['CPU/request ÷ node-http', c.cpu]] as const) {
      say(`  ${describeCheckCell(c.cell)} ${label}: ${m.median.toFixed(3)}, sessions ${m.sessionMedians.map((x) => x.toFixed(3)).join(' / ')}, ` +
        `round CV ${(m.roundCv * 100).toFixed(1)}% → tolerance ${(m.tolerance * 100).toFixed(1)}%${m.tooNoisy ? ' (CAPPED: too noisy to gate well)' : ''}`)
    }
  }
  writeRecord(args.out, { kind: 'bench:check --update', baseline, sessions: sessions.map((s) => [...s.values()]) })
  return 0
}

async function check(args: CheckArgs): Promise<number> {
  let baseline: Baseline
  try {
    baseline = readBaseline(args.baselinePath)
  } catch (error) {
    fail((error as Error).message, 2)
  }
  const cells = pickCells(baseline.cells.map((c) => c.cell), args.models)
  const extra = CHECK_CELLS.filter((c) => !baseline.cells.some((b) => cellKey(b.cell) === cellKey(c)))
  if (extra.length > 0) say(`note: not in the baseline, not checked: ${extra.map(cellKey).join(', ')} (run --update to add them)`)
  const context = runContext(repoRoot())
  say(`bench:check against the baseline of ${baseline.context.commit.slice(0, 12)} (${baseline.createdAt}, ${baseline.context.machine.cpuModel} × ${baseline.context.machine.cores}, Node ${baseline.context.node})`)
  if (args.injectSlowdown !== undefined) say(`TEST ONLY: ${args.injectSlowdown.model} servers burn ${args.injectSlowdown.us} µs extra CPU per request`)

  const loadBefore = loadavg()
  const sameMachine = sameMachineKind(baseline, context)
  if (!sameMachine) say('note: the baseline comes from another kind of machine: only this run\'s own rounds tell a disturbed round')
  const outcome = await runCheck(baseline, cells, args.budgetSec, ioFor(baseline.config, args.injectSlowdown), { sameMachine })
  for (const line of outcome.disturbed) say(`disturbed: ${line}`)
  for (const v of outcome.verdicts) say(describeVerdict(v))
  for (const v of outcome.confirmations) say(`confirmation: ${describeVerdict(v)}`)
  for (const line of [...outcome.failures, ...outcome.unconfirmed, ...outcome.regressions]) say(line)
  if (outcome.blind.length > 0) {
    say(`WARNING: no round of ${outcome.blind.join(', ')} ran with node-http at its quiet cost (the machine was disturbed throughout): ` +
      'judged on disturbed rounds, where a slowdown reads as a speed-up, so this check could not see one there')
  }
  const blindly = outcome.blind.length > 0 ? `; ${outcome.blind.length} of them judged on disturbed rounds only` : ''
  say(`bench:check: ${outcome.passed ? 'PASS' : 'FAIL'} (${cells.length} cell(s)${blindly}, ${Math.round(outcome.elapsedSec)} s)`)
  writeRecord(args.out, {
    kind: 'bench:check',
    createdAt: new Date().toISOString(),
    context,
    baseline: { commit: baseline.context.commit, createdAt: baseline.createdAt, machine: baseline.context.machine, config: baseline.config },
    injectSlowdown: args.injectSlowdown ?? null,
    // how busy the shared machine was (1-minute load average, before and after): context for any verdict
    loadAverage: { before: loadBefore[0], after: loadavg()[0] },
    ...outcome,
  })
  return outcome.passed ? 0 : 1
}

async function main(): Promise<void> {
  let args: CheckArgs | 'help'
  try {
    args = parseCheckArgs(process.argv.slice(2), join(defaultResultsDir(), 'baseline.json'))
  } catch (error) {
    if (error instanceof FlagError) fail(`${error.message} (see --help)`, 2)
    throw error
  }
  if (args === 'help') {
    process.stdout.write(`${CHECK_USAGE}\n`)
    return
  }
  if ((process.env[SLOWDOWN_ENV] ?? '') !== '') {
    fail(`${SLOWDOWN_ENV} is set in this environment, so every server (node-http too) would inherit it; unset it (the test-only way to slow one model is --inject-slowdown=MODEL:US)`, 2)
  }
  // Exit through process.exit on a signal (a CI timeout, ^C) so the servers under test are killed
  // by server-process.ts's exit hook instead of being left running.
  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => fail(`${signal}: stopped`, exitCode))
  }
  let code: number
  try {
    code = args.update ? await update(args) : await check(args)
  } catch (error) {
    if (error instanceof FlagError) fail(`${error.message} (see --help)`, 2)
    fail(error instanceof Error ? error.message : String(error), 1)
  }
  process.exit(code)
}

await main()
