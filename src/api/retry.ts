/** Pure timing rules for retries. */

export const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504])

/** Seconds or an HTTP date, to milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  // Date.parse reads nearly anything: take only an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT") or ISO 8601.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? |^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt)
  // A floor of a quarter keeps retries from hammering at once while still spreading them out.
  return Math.round(ceiling / 4 + random() * (ceiling * 3) / 4)
}
