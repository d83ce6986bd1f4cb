// A model serving the stock app from MariaDB: its own database (seeded by the project's seed
// function, dropped afterwards), the server started with --db=mysql://…, the dynamic pages read
// and written through it. Outside CI a missing MariaDB skips with the reason; in CI it fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropDatabase, seedDatabase } from '../../servers/app/seed.js'
import { mariadbUnavailable, uniqueDatabaseUrl } from '../app/repositories/mariadb-test-database.js'
import { exchange, get } from '../helpers/raw-http.js'
import { startServe, type ServeProcess } from '../helpers/serve-process.js'

export function runMysqlStore(model: string, options: { args?: string[] } = {}): void {
  describe(`model ${model} with the mysql store`, () => {
    let unavailable: string | undefined
    const db = uniqueDatabaseUrl()
    let server: ServeProcess | undefined

    beforeAll(async () => {
      unavailable = await mariadbUnavailable()
      if (unavailable !== undefined) return
      await seedDatabase(db)
      server = await startServe([`--model=${model}`, `--db=${db}`, ...(options.args ?? [])])
    })
    afterAll(async () => {
      if (server) expect((await server.stop()).code).toBe(0)
      if (unavailable === undefined) await dropDatabase(db)
    })

    it('serves /stocks.html from MariaDB and writes a follow through it', async (context) => {
      if (unavailable !== undefined) context.skip(unavailable)
      const port = server!.port
      const page = await get(port, '/stocks.html')
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toMatch(/^text\/html/)
      expect((page.body.toString().match(/<tr/g) ?? []).length).toBeGreaterThanOrEqual(100)

      const code = /\b(\d{6})\b/.exec(page.body.toString())![1]!
      const post = (path: string) =>
        exchange(port, [`POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`])
      await post(`/del/${code}.html`)
      expect((await post(`/add/${code}.html`)).responses[0]?.status).toBe(200)
      expect((await get(port, '/center.html')).body.toString()).toContain(code)
      expect((await post(`/del/${code}.html`)).responses[0]?.status).toBe(200)
      expect((await get(port, '/center.html')).body.toString()).not.toContain(code)
    })
  })
}
