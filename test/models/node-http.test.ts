import { runConformance } from './conformance.case.js'
import { runMysqlStore } from './mysql-store.case.js'

// node:http is the reference peer, not one of ours: its parser is llhttp with Node's own limits
// and leniencies. These cases state our rules (DESIGN.md "Shared HTTP rules"), which llhttp does
// not enforce the same way; the suite runs them so the difference stays visible.
runConformance('node-http', {
  skip: [
    {
      reason: "llhttp's leniency, not our rule: it accepts these requests (Host rules, HTTP/0.9 and 2.0 lines, >100 headers) or answers another status",
      tests: [
        'rejects a missing Host in HTTP/1.1 with 400 and closes',
        'rejects a repeated Host with 400 and closes',
        'rejects an invalid Host with 400 and closes',
        'rejects an HTTP/0.9 request line with 400 and closes',
        'rejects a transfer coding we do not implement with 501 and closes',
        'rejects an unsupported HTTP version with 505 and closes',
        'rejects more than 100 headers with 431 and closes',
      ],
    },
    {
      reason: 'node:http has no 8 KiB target limit or 1 MiB body limit of its own (the target counts toward its 16 KiB head; bodies are the handler\'s business)',
      tests: [
        'rejects a request target over 8 KiB with 414 and closes',
        'rejects a Content-Length over 1 MiB with 413 and closes',
        'answers 413 instead of 100 Continue when the declared body is over 1 MiB, and closes',
      ],
    },
    {
      reason:
        'node:http writes 100 Continue for every request that expects it, body or not, already sent or not ' +
        '(its default without a checkContinue listener): allowed by RFC 9110 §10.1.1, just not what we do',
      tests: ['sends no 100 Continue when the body came with the head'],
    },
    {
      reason:
        'node:http answers 417 itself (its default without a checkExpectation listener) with an empty chunked ' +
        'body and no Content-Type, and keeps the connection open to read the body it refused',
      tests: ['answers 417 to an expectation other than 100-continue before the body, and closes'],
    },
    {
      reason: 'node:http drops the pipelined requests before a parse error and only destroys the socket (its clientError default)',
      tests: ['answers the requests before a malformed one in the same packet, then 400 and close'],
    },
    {
      reason: 'node:http checks headersTimeout only every connectionsCheckingInterval (30 s by default), far beyond this test',
      tests: ['answers 408 when a started head does not complete in time'],
    },
  ],
})

runMysqlStore('node-http')
