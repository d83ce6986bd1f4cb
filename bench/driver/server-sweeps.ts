// nonblocking's own timing of its passes over the crowd, read from the server's stats endpoint
// (servers/stats-endpoint.ts, servers/models/sweep-log.ts) at the end of the held window: the real
// sweep, including the JavaScript around each read, where the replica (clients/sweep-replica.ts)
// only times the read calls on the client's ends of the sockets.
import { exchange } from '../clients/http-exchange.js'
import { spread, type Spread } from '../clients/crowd-spec.js'

export interface ServerSweeps {
  /** Sweeps the server has made since it started. */
  total: number
  /** Recent sweeps that visited at least `minClients` clients (the whole crowd), in µs. */
  us: Spread | null
  /** The fewest clients such a sweep visited (the crowd, plus any probe connection). */
  clients: number
}

/** The recent sweeps over the whole crowd, or null when the server reports none (not a polling model). */
export async function readServerSweeps(statsOrigin: string, minClients: number): Promise<ServerSweeps | null> {
  const answer = await exchange(statsOrigin, { method: 'GET', path: '/', headers: {} })
  if (answer.status !== 200) throw new Error(`stats endpoint ${statsOrigin} answered ${answer.status}`)
  const stats = JSON.parse(answer.body.toString('utf8')) as { sweeps?: { sweeps: number; recent: Array<[number, number]> } }
  if (stats.sweeps === undefined) return null
  const whole = stats.sweeps.recent.filter(([, clients]) => clients >= minClients)
  return {
    total: stats.sweeps.sweeps,
    us: spread(whole.map(([us]) => us)),
    clients: whole.length === 0 ? 0 : Math.min(...whole.map(([, clients]) => clients)),
  }
}
