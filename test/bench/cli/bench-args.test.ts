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

  it('takes --out relative to the working directory', () => {
    const c = parseBenchArgs(['--out=some/dir'])
    if (c === 'help' || c instanceof Error) throw new Error(String(c))
    expect(c.out).toBe(`${process.cwd()}/some/dir`)
  })
})
