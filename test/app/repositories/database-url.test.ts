import { describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from '../../../servers/app/repositories/database-url.js'

describe('parseDatabaseUrl', () => {
  it('reads user, password, host, port and database, and hides the password in messages', () => {
    expect(parseDatabaseUrl('mysql://app:p%40ss@db.local:3307/stock_db')).toEqual({
      host: 'db.local',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'stock_db',
      connectionLimit: 10,
      server: 'mysql://app:***@db.local:3307',
      display: 'mysql://app:***@db.local:3307/stock_db',
    })
  })

  it('defaults to port 3306, user root and an empty password', () => {
    const url = parseDatabaseUrl('mysql://127.0.0.1/stock_db')
    expect([url.port, url.user, url.password, url.display]).toEqual([3306, 'root', '', 'mysql://root@127.0.0.1/stock_db'])
  })

  it('accepts an IPv6 host in brackets', () => {
    expect(parseDatabaseUrl('mysql://root@[::1]:3306/stock_db').host).toBe('::1')
  })

  it('takes the pool size from ?connectionLimit=', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1/stock_db?connectionLimit=4').connectionLimit).toBe(4)
  })

  it.each([
    ['stock_db', /not a URL/],
    ['http://127.0.0.1/stock_db', /scheme must be mysql:, not http:/],
    ['mysql:///stock_db', /no host/],
    ['mysql://127.0.0.1', /database name/],
    ['mysql://127.0.0.1/stock_db/extra', /database name/],
    ['mysql://127.0.0.1/stock%60db', /database name/],
    ['mysql://127.0.0.1/' + 'x'.repeat(65), /database name/],
    ['mysql://127.0.0.1/stock_db?connectionLimit=0', /connectionLimit must be/],
    ['mysql://127.0.0.1/stock_db?connectionLimit=ten', /connectionLimit must be/],
    ['mysql://127.0.0.1/stock_db?connectionLimit=100001', /connectionLimit must be an integer from 1 to 100000/],
    ['mysql://127.0.0.1/stock_db?ssl=true', /unknown option ssl/],
    ['mysql://127.0.0.1/stock_db#x', /fragment/],
    ['mysql://%E0%A4%A@127.0.0.1/stock_db', /percent-escape/],
  ])('rejects %s with a message that shows the expected form', (db, why) => {
    expect(() => parseDatabaseUrl(db)).toThrow(why)
    expect(() => parseDatabaseUrl(db)).toThrow(/expected mysql:\/\/user:pass@host:port\/db/)
  })
})
