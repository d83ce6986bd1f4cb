// Evaluate a GET/HEAD's cache validators (RFC 9110 §13.1.2, §13.1.3, order from §13.2.2).
//
// - If-None-Match wins: when present, If-Modified-Since is ignored (§13.1.3, §13.2.2 step 3).
//   It matches with the weak comparison (§8.8.3.2: W/"x" equals "x"); '*' matches any current
//   representation, and we only ask this about files that exist.
// - If-Modified-Since: not modified when the file's modification time, in whole seconds (an
//   HTTP-date has no finer unit, §5.6.7), is not later than the date given. A value that is not
//   a date is ignored (§13.1.3 "MUST ignore"), as is one in the future: a client clock ahead of
//   ours must not pin a stale copy (RFC 7232 §3.3 called such dates invalid).

// entity-tag = [ W/ ] DQUOTE *etagc DQUOTE  (§8.8.3); the list separators are commas and spaces.
const ENTITY_TAG = /(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g

function matchesAny(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true
  for (const match of ifNoneMatch.matchAll(ENTITY_TAG)) {
    if (match[1] === etag) return true
  }
  return false
}

/**
 * True when a GET or HEAD may be answered 304.
 * @param etag our strong entity-tag, quotes included
 * @param lastModifiedMs the file's modification time (ms since the epoch)
 * @param nowMs the current time, for rejecting dates in the future
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastModifiedMs: number,
  nowMs: number,
): boolean {
  if (ifNoneMatch !== undefined) return matchesAny(ifNoneMatch, etag)
  if (ifModifiedSince === undefined) return false
  const since = Date.parse(ifModifiedSince)
  if (Number.isNaN(since) || since > nowMs) return false
  return Math.floor(lastModifiedMs / 1000) * 1000 <= since
}
