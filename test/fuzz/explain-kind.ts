// Why each kind of fuzz outcome happens: every kind the fuzzer reports must match one of these
// (fuzz.test.ts checks it for the seeded run), so a new kind of disagreement gets explained
// before it is accepted. The first matching pattern wins.

const EXPLANATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^FAIL /, 'a broken rule: see the example and fix the parser'],
  [/^agree: both reject \(llhttp at the byte/, 'both refuse the bytes; llhttp stops at the first bad byte, we judge a line once it has ended (test/fuzz completes the head to check that we refuse it then)'],
  [/^agree: /, 'both parsers read the same requests (or refuse the bytes)'],
  // Where our rules are stricter than llhttp's (DESIGN.md "Shared HTTP rules").
  [/Host/, 'RFC 9112 §3.2: one valid Host in HTTP/1.1; llhttp leaves Host to node:http, which requires one but neither validates it nor refuses two'],
  [/^stricter: .*417 /, 'Expect other than 100-continue (RFC 9110 §10.1.1); llhttp does not read Expect (node:http answers 417 after parsing)'],
  [/^stricter: .*505 /, 'a well-formed version other than 1.x (0.9, 2.0): llhttp parses such request lines, we answer 505'],
  [/^stricter: .*501 /, 'a transfer coding before chunked (gzip, identity): llhttp frames by chunked and leaves decoding to the app; we decode none, so RFC 9112 §6.1 makes it a 501'],
  [/^stricter: .*413 /, 'a declared body over our 1 MiB limit (nginx client_max_body_size); llhttp has no body limit'],
  [/^stricter: .*a tab in a Content-Length or Transfer-Encoding/, 'no HTAB in the two framing fields; llhttp refuses only a trailing one, we refuse any'],
  [/^stricter: .*a CONNECT request with content/, 'RFC 9110 §9.3.6: CONNECT has no content; llhttp tunnels after the head and never reads the body'],
  [/^stricter: .*PRI is the HTTP\/N connection preface/, 'PRI starts the HTTP/2 preface (RFC 9113 §3.4): llhttp waits for the rest of the preface, we refuse it'],
  [/^stricter: .*in the trailer section/, 'a framing field as a trailer (RFC 9110 §6.5.1): llhttp refuses one with a value too, but lets an empty one through'],
  [/^stricter: .*(empty request target|malformed HTTP version|request line without a version)/, 'extra or missing spaces in the request line: RFC 9112 §3 lets a recipient split on any whitespace and llhttp skips repeated spaces (or reads a line without a version as HTTP/0.9); we take exactly one SP between three parts'],
  [/^stricter: .*bare (LF|CR) (line end )?in the request line/, 'a lone CR or LF before or inside a request line: llhttp skips stray CR/LF between messages, we accept only whole CRLF empty lines (RFC 9112 §2.2)'],
  [/^stricter: .*(chunked is not the final|chunked takes no parameters|Transfer-Encoding is not a list|both Content-Length and Transfer-Encoding)/, 'a Transfer-Encoding llhttp ignores or reads loosely (empty, a parameter on chunked, a list with a non-token, an empty TE beside a Content-Length); we refuse every Transfer-Encoding that is not a clean list ending in chunked'],
  [/^stricter: we reject, llhttp accepts: .*(chunk extension without a name or value|malformed chunk size or extension)/, 'a chunk extension with an empty name or value (";;", ";x="): llhttp accepts it; RFC 9112 §7.1.1 wants a token name and, after "=", a token or quoted-string'],
  // Anything else we refuse while llhttp has not finished the same bytes.
  [/^stricter: we reject, llhttp waits for more: /, 'we refuse at a byte llhttp has not judged yet (it is still in that line or body, or in the body of an Upgrade request, which it reads without refusing anything); it completed no request from these bytes'],
  // Where llhttp is stricter, for reasons that are not framing.
  [/HPE_INVALID_METHOD/, 'llhttp knows a fixed list of methods; RFC 9110 §9.1 lets any token be a method and our app answers 405/501 for the ones it does not serve'],
  [/HPE_INVALID_VERSION/, 'HTTP/1.2 to 1.9: llhttp refuses them, we read them as 1.1 (RFC 9110 §2.5: a higher minor version is processed as the highest one implemented)'],
  [/HPE_INVALID_URL/, 'llhttp checks the target\'s URL shape ("http:/x", "+"); we take any visible ASCII and leave its meaning to the app (static files answer 400/404)'],
  // Connection-level decisions.
  [/^upgrade: llhttp tunnels after a CONNECT/, 'llhttp treats the bytes after a CONNECT head as a tunnel; we open no tunnel, answer the CONNECT and close, so neither reads those bytes as HTTP'],
  [/^upgrade: node:http passes an Upgrade request with a malformed body/, 'node:http ignores llhttp\'s errors in a request marked Upgrade and hands the rest of the connection to the new protocol (or closes it); we refuse the body'],
  [/^upgrade: llhttp switches protocols after an Upgrade/, 'llhttp stops at a request with Connection: upgrade; we never answer 101, and RFC 9110 §7.8 lets a server ignore Upgrade and go on with HTTP/1.1'],
  [/^keep-alive: llhttp closes on a Connection: close in the trailers/, 'llhttp honours Connection in a trailer section; we drop trailer fields (RFC 9110 §6.5.1: not merged into the header section), so we keep the connection'],
  [/^keep-alive: we close/, 'we close where llhttp keeps the connection: "close" and "keep-alive" both in an HTTP/1.0 Connection (we let close win), or an HTTP/1.0 request with a Transfer-Encoding, after which RFC 9112 §6.1 says close (llhttp keeps it when the trailers say keep-alive)'],
  [/^waiting: we are pending, llhttp is idle/, 'a lone CR after a request: we hold it waiting for its LF (an empty line may precede a request), llhttp discards it'],
]

export function explainKind(kind: string): string | undefined {
  for (const [pattern, text] of EXPLANATIONS) if (pattern.test(kind)) return text
  return undefined
}
