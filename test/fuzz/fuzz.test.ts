// The fuzzer: its seeded run breaks no rule, and it would notice if one broke.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { classify } from './classify.js'
import { explainKind } from './explain-kind.js'
import type { FramedRequest, Outcome } from './outcome.js'
import { parseLlhttp } from './parse-llhttp.js'
import { parseOurs } from './parse-ours.js'
import { runFuzz, type FuzzReport } from './run-fuzz.js'
import { SEEDS } from './seeds.js'

const CLI = fileURLToPath(new URL('../../dist/test/fuzz/fuzz.js', import.meta.url))

function fuzzCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

const request = (body: string, extra: Partial<FramedRequest> = {}): FramedRequest => ({
  method: 'POST',
  target: '/',
  version: '1.1',
  body,
  keepAlive: true,
  headers: [],
  ...extra,
})
const noProbe = (): Outcome => {
  throw new Error('the probe was not expected here')
}

describe('npm run fuzz', () => {
  it('runs 20,000 seeded cases in seconds, breaks no rule, and explains every kind of disagreement', async () => {
    const { code, stdout, stderr } = await fuzzCli(['--cases=20000', '--seed=1', '--json'])
    expect(stderr).toBe('')
    const report = JSON.parse(stdout) as FuzzReport
    const failures = report.kinds.filter((k) => k.failure).map((k) => `${k.kind}: case ${k.example.index} ${JSON.stringify(k.example.bytes)}`)
    expect(failures).toEqual([])
    expect(code).toBe(0)
    expect(report.kinds.reduce((sum, k) => sum + k.count, 0)).toBe(20_000)
    expect(report.kinds.filter((k) => explainKind(k.kind) === undefined).map((k) => k.kind)).toEqual([])
    // Both parsers accept some cases, both refuse some, and they disagree on some: the
    // mutations reach all three, or the run would prove little.
    expect(report.kinds.find((k) => k.kind === 'agree: same requests')?.count).toBeGreaterThan(1000)
    expect(report.kinds.find((k) => k.kind === 'agree: both reject')?.count).toBeGreaterThan(1000)
    expect(report.kinds.filter((k) => k.kind.startsWith('stricter')).length).toBeGreaterThan(5)
  }, 60_000)

  it('ends a case that hangs, reports it as a failure with its bytes, and goes on with the next', async () => {
    const { code, stdout } = await fuzzCli(['--cases=40', '--seed=1', '--json'], { HTTPMODELS_FUZZ_HANG_AT: '17' })
    const report = JSON.parse(stdout) as FuzzReport
    const hang = report.kinds.find((k) => k.kind.startsWith('FAIL hang'))
    expect(hang?.count).toBe(1)
    expect(hang?.example.index).toBe(17)
    expect(hang?.example.bytes.length).toBeGreaterThan(0)
    expect(report.kinds.reduce((sum, k) => sum + k.count, 0)).toBe(40)
    expect(code).toBe(1)
  }, 30_000)

  it('refuses an unknown flag with one line and exit code 2', async () => {
    const { code, stderr } = await fuzzCli(['--casez=5'])
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  it('gives the same report for the same seed', () => {
    const strip = (r: FuzzReport) => r.kinds.map((k) => [k.kind, k.count, k.example.index])
    expect(strip(runFuzz(9, 0, 300))).toEqual(strip(runFuzz(9, 0, 300)))
  })
})

describe('the seed requests', () => {
  it('are each accepted, with the same requests, by our parser and by llhttp', () => {
    for (const seed of SEEDS) {
      const input = Buffer.from(seed, 'latin1')
      const ours = parseOurs(input)
      expect(ours.end.kind, seed).not.toBe('rejected')
      expect(ours.requests.length, seed).toBeGreaterThan(0)
      expect(classify(ours, parseLlhttp(input), noProbe).kind, seed).toMatch(/^agree: same requests|^keep-alive: /)
    }
  })
})

describe('classify', () => {
  const idle = { kind: 'idle' } as const
  it('fails a request that llhttp reads as one and we read as two (different boundaries)', () => {
    const ours: Outcome = { requests: [request('ab'), request('')], end: idle }
    const llhttp: Outcome = { requests: [request('abGET / HTTP/1.1\r\n\r\n')], end: idle }
    expect(classify(ours, llhttp, noProbe)).toEqual({ kind: 'FAIL boundaries: request 1 differs in its body', failure: true })
  })

  it('fails a request we complete while llhttp is still reading it', () => {
    const verdict = classify({ requests: [request('ab')], end: idle }, { requests: [], end: { kind: 'pending' } }, noProbe)
    expect(verdict.failure).toBe(true)
  })

  it('fails bytes llhttp refuses for their framing and we accept', () => {
    const llhttp: Outcome = { requests: [], end: { kind: 'rejected', code: 'HPE_INVALID_CHUNK_SIZE', reason: 'Invalid character in chunk size' } }
    expect(classify({ requests: [request('x')], end: idle }, llhttp, noProbe).failure).toBe(true)
  })

  it('fails a crash of our parser', () => {
    expect(classify({ requests: [], end: { kind: 'crashed', reason: 'TypeError' } }, { requests: [], end: idle }, noProbe).failure).toBe(true)
  })

  it('accepts our stricter refusal, named by the rule, as expected', () => {
    const ours: Outcome = { requests: [], end: { kind: 'rejected', code: '400', reason: 'more than one Host header' } }
    expect(classify(ours, { requests: [request('')], end: idle }, noProbe)).toEqual({
      kind: 'stricter: we reject, llhttp accepts: 400 more than one Host header',
      failure: false,
    })
  })

  it('accepts llhttp refusing a method it does not know (not framing)', () => {
    const llhttp: Outcome = { requests: [], end: { kind: 'rejected', code: 'HPE_INVALID_METHOD', reason: 'Invalid method encountered' } }
    expect(classify({ requests: [request('', { method: 'FOO' })], end: idle }, llhttp, noProbe).failure).toBe(false)
  })

  it('asks the probe when llhttp refused a byte of a line we were still reading, and agrees if we refuse it then', () => {
    const llhttp: Outcome = { requests: [], end: { kind: 'rejected', code: 'HPE_INVALID_HEADER_TOKEN', reason: 'Invalid header value char' } }
    const probe = (): Outcome => ({ requests: [], end: { kind: 'rejected', code: '400', reason: 'control character in a header value' } })
    expect(classify({ requests: [], end: { kind: 'pending' } }, llhttp, probe).kind).toBe('agree: both reject (llhttp at the byte, we at the end of the line)')
    const accepts = (): Outcome => ({ requests: [request('')], end: idle })
    expect(classify({ requests: [], end: { kind: 'pending' } }, llhttp, accepts).failure).toBe(true)
  })
})
