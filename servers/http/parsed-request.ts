// What the parser returns for each complete request (DESIGN.md contract 2; parser.ts re-exports
// it). Its own file so errors.ts can name it without importing the parser that imports errors.ts.

export interface ParsedRequest {
  method: string
  target: string
  version: '1.0' | '1.1'
  /** In order, names lower-cased, values without surrounding whitespace. */
  headers: Array<[name: string, value: string]>
  /** De-chunked; owned by the request (never a view of a pushed chunk). */
  body: Uint8Array
  /** False when the connection must close after answering this request. */
  keepAlive: boolean
}
