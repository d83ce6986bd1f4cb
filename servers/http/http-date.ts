// The Date header value (RFC 9110 §5.6.7 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT").
//
// Every response carries one, and it only changes once a second: format it at most once a second
// (node:http caches its date the same way, in utcDate()). Date#toUTCString produces exactly
// IMF-fixdate (ECMA-262 §21.4.4.43: weekday, two-digit day, month, four-digit year, time, GMT).

let cachedSecond = -1
let cachedDate = ''

/** IMF-fixdate for `now` (milliseconds since the epoch; default: the current time). */
export function httpDate(now: number = Date.now()): string {
  const second = Math.floor(now / 1000)
  if (second !== cachedSecond) {
    cachedSecond = second
    cachedDate = new Date(second * 1000).toUTCString()
  }
  return cachedDate
}
