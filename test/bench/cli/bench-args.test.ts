import { describe, expect, it } from 'vitest'
import { parseBenchArgs } from '../../../bench/cli/bench-args.js'
import { main } from '../../../bench/cli/bench.js'

/** Runs the CLI in-process and captures what it prints. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } })
  return { code, stdout, stderr }
}

describe('bench options', () => {
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--model=threadz'], /unknown model "threadz" \(known: blocking, .*, all\)/],
    [['--scenario=hello,nope'], /unknown scenario "nope"/],
    [['--mode=sometimes'], /--mode must be keepalive, close or both/],
    [['--connections=0'], /--connections must be a whole number from 1 to 1000/],
    [['--connections=16,abc'], /--connections must be a whole number/],
    [['--duration=0'], /--duration must be a number of seconds above 0/],
    [['--duration=-1'], /--duration must be/],
    [['--warmup=fast'], /--warmup must be/],
    [['--repeat=1.5'], /--repeat must be a whole number/],
    [['--db=postgres://x'], /--db must be memory or mysql:/],
    [['--db=mysql://root@127.0.0.1:3306/bad-name'], /bad database URL/],
    [['--driver=ab'], /--driver must be auto, autocannon or wrk, not "ab"/],
    [['--scenario=db'], /nothing to run: db needs --db=mysql/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--ceiling=soon'], /--ceiling must be a number of seconds from 0 up to 600, not "soon"/],
    [['--target=nginx=http://10.0.0.1:8080'], /--target=nginx=http:\/\/10\.0\.0\.1:8080 refused: only http:\/\/127\.0\.0\.1:PORT, http:\/\/\[::1\]:PORT or an address in 198\.18\.0\.0\/15/],
    [['--target=http://example.com:80'], /refused: only/],
    [['--target=nginx=127.0.0.1:8080'], /"127\.0\.0\.1:8080" is not a URL \(expected http:\/\/HOST:PORT\)/],
    [['--target=nginx=not a url'], /--target=nginx=not a url: "not a url" is not a URL/],
    [['--target=nginx=http://127.0.0.1:8080/prefix'], /give the origin only, http:\/\/HOST:PORT/],
    [['--target=a=http://127.0.0.1:1', '--target=a=http://127.0.0.1:2'], /two --target flags are named "a"/],
    [['--model=eventloop', '--target=eventloop=http://127.0.0.1:1'], /--target name "eventloop" is also a model in this run/],
    [['--target=a=http://127.0.0.1:1', '--target-stats=b=http://127.0.0.1:2'], /--target-stats=b=http:\/\/127\.0\.0\.1:2: no --target is named "b" \(targets: a\)/],
    [['--target=a=http://127.0.0.1:1', '--target=b=http://127.0.0.1:2', '--target-stats=http://127.0.0.1:3'], /say which target it belongs to, --target-stats=NAME=URL \(there are 2 targets\)/],
    [['--target=a=http://127.0.0.1:1', '--target-stats=http://192.168.0.1:3'], /--target-stats=http:\/\/192\.168\.0\.1:3 refused/],
    [['--reference=apache'], /--reference must name a model or a --target, not "apache"/],
    [['--reference=eventloop', '--no-reference'], /--reference and --no-reference contradict each other/],
    [['--rate=fast'], /--rate must be auto or a list of requests per second above 0 up to 10,000,000, not "fast"/],
    [['--rate=500,0'], /--rate must be auto or a list .* not "0"/],
    [['--rate=500', '--arrivals=bursty'], /--arrivals must be poisson or uniform, not "bursty"/],
    [['--rate=500', '--slo=99:10ms'], /--slo must be pPERCENTILE:BOUND with a unit, e\.g\. p99:10ms .* not "99:10ms"/],
    [['--rate=500', '--slo=p99:10'], /--slo must be pPERCENTILE:BOUND/],
    [['--rate=500', '--slo=p100:10ms'], /percentile between 0 and 100/],
    [['--rate=500', '--max-connections=0'], /--max-connections must be a whole number from 1 to 1000, not "0"/],
    [['--scenario=hello', '--slo=p99:10ms'], /--slo applies to open-loop cells: add --rate=LIST or --rate=auto/],
    [['--scenario=write', '--rate=500'], /--rate needs a scenario besides write/],
    [['--app=no-export'], /--app must be module:export \(e\.g\. \.\/my-app\.js:application\), not "no-export"/],
    [['--app=./nowhere/app.js:application'], /--app=\.\/nowhere\/app\.js:application: no file .*nowhere\/app\.js/],
  ])('rejects %j with one clear line on stderr and exit code 2', async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(stderr).toMatch(/^httpmodels bench: .* \(see --help\)\n$/)
  })

  it('prints the usage for --help and exits 0', async () => {
    const { code, stdout } = await cli(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/--model=LIST/)
    expect(stdout).toMatch(/--smoke/)
  })

  it('accepts comma lists, all, and both modes', () => {
    const c = parseBenchArgs(['--model=eventloop,node-http', '--scenario=all', '--mode=both', '--connections=64,1,16,16'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.models).toEqual(['eventloop', 'node-http'])
    expect(c.modes).toEqual(['keepalive', 'close'])
    expect(c.connections.eventloop).toEqual([1, 16, 64])
  })

  it('asks for the driver auto by default, and records a forced one as given', () => {
    const c = parseBenchArgs([])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.driver).toBe('auto')
    const forced = parseBenchArgs(['--driver=autocannon'])
    if (forced === 'help' || forced instanceof Error) throw new Error(String(forced))
    expect(forced.driver).toBe('autocannon')
  })

  it('reads --target as NAME=URL or URL (named by its host:port), with its stats endpoint, and starts no model unless asked', () => {
    const c = parseBenchArgs(['--target=nginx=http://127.0.0.1:8088/', '--target=http://198.18.0.2:8080', '--target-stats=nginx=http://127.0.0.1:9100', '--connections=1,64'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.targets).toEqual([
      { name: 'nginx', origin: 'http://127.0.0.1:8088', stats: 'http://127.0.0.1:9100' },
      { name: '198.18.0.2:8080', origin: 'http://198.18.0.2:8080' },
    ])
    expect(c.models).toEqual([])
    expect(c.reference).toBeNull()
    expect(c.notes).toContain('no reference for ratios: only targets run (--reference=NAME divides by one of them)')
    expect(c.connections.nginx).toEqual([1, 64])
  })

  it('divides by a target or a model named by --reference, adding the model when it is not in the run', () => {
    const byTarget = parseBenchArgs(['--target=nginx=http://127.0.0.1:8088', '--model=eventloop', '--reference=nginx'])
    if (byTarget === 'help' || byTarget instanceof Error) throw new Error(String(byTarget))
    expect(byTarget.reference).toBe('nginx')
    expect(byTarget.models).toEqual(['eventloop'])
    const byModel = parseBenchArgs(['--target=nginx=http://127.0.0.1:8088', '--reference=coroutines'])
    if (byModel === 'help' || byModel instanceof Error) throw new Error(String(byModel))
    expect(byModel.models).toEqual(['coroutines'])
    expect(byModel.notes).toContain('coroutines added as the reference for ratios (--no-reference to leave it out)')
    const byDefault = parseBenchArgs(['--target=nginx=http://127.0.0.1:8088', '--model=eventloop'])
    if (byDefault === 'help' || byDefault instanceof Error) throw new Error(String(byDefault))
    expect(byDefault).toMatchObject({ models: ['eventloop', 'node-http'], reference: 'node-http' })
  })

  it('switches the cells to open loop with --rate=LIST: rates ascending, poisson, p99:10ms, a pool of 256, no default crowd', () => {
    const c = parseBenchArgs(['--model=blocking,eventloop', '--rate=2000,500', '--duration=3'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.openLoop).toMatchObject({ kind: 'list', rates: [500, 2000], arrivals: 'poisson', maxConnections: 256, durationSec: 3, slo: { percentile: 99, boundUs: 10_000, label: 'p99:10ms' } })
    expect(c.openLoop!.scenarios).toEqual(['hello', 'static', 'static-large', 'template'])
    expect(c.crowd).toBeUndefined()
  })

  it('reads --rate=auto as the ladder of fractions of capacity, with any percentile and unit in --slo', () => {
    const c = parseBenchArgs(['--rate=auto', '--scenario=hello,static', '--slo=p99.9:500us', '--arrivals=uniform', '--max-connections=64'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.openLoop).toMatchObject({ kind: 'auto', fractions: [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1], arrivals: 'uniform', maxConnections: 64, scenarios: ['hello', 'static'], slo: { percentile: 99.9, boundUs: 500 } })
    expect(c.openLoop!.searchSteps).toBeGreaterThan(0)
    const seconds = parseBenchArgs(['--rate=auto', '--scenario=hello', '--slo=p50:1.5s'])
    if (seconds === 'help' || seconds instanceof Error) throw new Error(String(seconds))
    expect(seconds.openLoop!.slo.boundUs).toBe(1_500_000)
  })

  it('gives the default run a short latency curve on hello over keep-alive, and a run naming its scenarios none', () => {
    const c = parseBenchArgs([])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.openLoop).toMatchObject({ kind: 'curve', scenarios: ['hello'], modes: ['keepalive'], searchSteps: 0 })
    const named = parseBenchArgs(['--scenario=hello'])
    if (named === 'help' || named instanceof Error) throw new Error(String(named))
    expect(named.openLoop).toBeUndefined()
  })

  it('leaves write out of open loop with a note, and makes --app\'s module path absolute', () => {
    const c = parseBenchArgs(['--rate=500', '--scenario=hello,write', '--app=./test/fixtures/crash-app.mjs:application'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.openLoop!.scenarios).toEqual(['hello'])
    expect(c.notes).toContain('write runs closed-loop only: its write audit is not done under open-loop load')
    expect(c.app).toBe(`${process.cwd()}/test/fixtures/crash-app.mjs:application`)
  })

  it('takes --out relative to the working directory', () => {
    const c = parseBenchArgs(['--out=some/dir'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.out).toBe(`${process.cwd()}/some/dir`)
  })
})
