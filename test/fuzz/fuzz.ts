// npm run fuzz -- [--cases=N] [--seed=S] [--case=K] [--json | --markdown] [--out=FILE.json]
//
// Mutates valid requests and feeds each to our parser and to llhttp (Node's own), recording how
// they compare, by kind (test/fuzz/classify.ts states the rules). Exit code 1 when a rule broke
// (a FAIL kind: crash, hang, split-dependent verdict, request boundaries, framing); 2 for a bad flag.
// `--case=K` shows one case of the seeded run in full, to study or to turn into a unit test.
// `--out=FILE.json` also writes the report as JSON there and its table as FILE.md (the README's
// figures come from such a file).
import { writeFileSync } from 'node:fs'
import { explainKind } from './explain-kind.js'
import { fuzzInWorkers } from './fuzz-in-worker.js'
import { runCase, type FuzzReport } from './run-fuzz.js'

const USAGE = 'usage: npm run fuzz -- [--cases=N] [--seed=S] [--case=K] [--json | --markdown] [--out=FILE.json]'

interface Args {
  cases: number
  seed: number
  case?: number
  format: 'text' | 'json' | 'markdown'
  out?: string
}

function parseArgs(argv: string[]): Args {
  const args: Args = { cases: 20_000, seed: 1, format: 'text' }
  const int = (flag: string, value: string, max: number): number => {
    if (!/^\d+$/.test(value) || Number(value) > max) fail(`${flag} must be a whole number up to ${max}, got ${JSON.stringify(value)}`)
    return Number(value)
  }
  for (const arg of argv) {
    const [flag, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`)
      process.exit(0)
    } else if (flag === '--cases' && value !== undefined) args.cases = int(flag, value, 1e9)
    else if (flag === '--seed' && value !== undefined) args.seed = int(flag, value, 0xffffffff)
    else if (flag === '--case' && value !== undefined) args.case = int(flag, value, 1e9)
    else if (flag === '--json' && value === undefined) args.format = 'json'
    else if (flag === '--markdown' && value === undefined) args.format = 'markdown'
    else if (flag === '--out' && value !== undefined && value.endsWith('.json')) args.out = value
    else fail(`unknown flag ${JSON.stringify(arg)}; ${USAGE}`)
  }
  if (args.cases === 0) fail('--cases must be at least 1')
  return args
}

function fail(message: string): never {
  process.stderr.write(`fuzz: ${message}\n`)
  process.exit(2)
}

const show = (bytes: string, max = 160): string => {
  const text = JSON.stringify(bytes)
  return text.length > max ? `${text.slice(0, max - 1)}…"` : text
}

function text(report: FuzzReport): string {
  const lines = [
    `${report.cases} cases (seed ${report.seed}, cases ${report.first}..${report.first + report.cases - 1}) in ${(report.elapsedMs / 1000).toFixed(1)} s; ` +
      `${report.failures} broke a rule; slowest case ${report.slowest.index}: ${(report.slowest.us / 1000).toFixed(1)} ms`,
    '',
  ]
  for (const k of report.kinds) {
    lines.push(`${String(k.count).padStart(8)}  ${k.kind}`)
    lines.push(`          why: ${explainKind(k.kind) ?? 'UNEXPLAINED: add it to test/fuzz/explain-kind.ts'}`)
    lines.push(`          e.g. case ${k.example.index}: ${show(k.example.bytes)}`)
  }
  return lines.join('\n')
}

function markdown(report: FuzzReport): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  const rows = report.kinds.map((k) => `| ${k.count.toLocaleString('en')} | ${cell(k.kind)} | ${cell(explainKind(k.kind) ?? 'UNEXPLAINED')} | \`${cell(show(k.example.bytes, 90))}\` |`)
  return ['| cases | kind | why | example |', '|---:|---|---|---|', ...rows].join('\n')
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  if (args.case !== undefined) {
    process.stdout.write(`${JSON.stringify(runCase(args.seed, args.case), null, 2)}\n`)
    return
  }
  const report = await fuzzInWorkers(args.seed, args.cases)
  if (args.out !== undefined) {
    writeFileSync(args.out, `${JSON.stringify(report, null, 1)}\n`)
    writeFileSync(args.out.replace(/\.json$/, '.md'), `${markdown(report)}\n`)
  }
  const out = args.format === 'json' ? JSON.stringify(report) : args.format === 'markdown' ? markdown(report) : text(report)
  process.stdout.write(`${out}\n`)
  process.exitCode = report.failures > 0 ? 1 : 0
}

void main()
