import { describe, it, expect } from '@jest/globals'
import { backoffMs, RETRYABLE_STATUSES, retryAfterMs } from '../../src/api/retry.js'

const NOW = Date.parse('2025-06-01T12:00:00Z')

describe('retryAfterMs', () => {
  const cases: [string, string | string[] | undefined, number | undefined][] = [
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['zero seconds', '0', 0],
    ['whole seconds', '120', 120_000],
    ['fractional seconds', '1.5', 1500],
    ['padded seconds', '  3 ', 3000],
    ['first of several headers', ['2', '60'], 2000],
    ['HTTP date in the future', 'Sun, 01 Jun 2025 12:00:30 GMT', 30_000],
    ['HTTP date in the past', 'Sun, 01 Jun 2025 11:59:00 GMT', 0],
    ['HTTP date now', 'Sun, 01 Jun 2025 12:00:00 GMT', 0],
    ['ISO date', '2025-06-01T12:01:00Z', 60_000],
    ['word', 'soon', undefined],
    ['seconds with a unit', '30s', undefined],
    ['hex', '0x10', undefined],
    ['whitespace', '   ', undefined],
    ['empty header list', [], undefined]
  ]
  it.each(cases)('%s', (_name, header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected)
  })

  // V8's Date.parse reads these as dates in 2001: taken as dates they would yield 0 ("retry now"), and
  // the client would count a 503 with such a header as safe to resend a POST.
  const lenient: [string, string][] = [
    ['negative seconds', '-1'],
    ['a word and a number', 'later 5'],
    ['two numbers', '1 2']
  ]
  it.each(lenient)('treats %s (%j) as unreadable', (_name, header) => {
    expect(retryAfterMs(header, NOW)).toBeUndefined()
  })

  it('measures a date from the given now, not the real clock', () => {
    const header = 'Sun, 01 Jun 2025 12:00:10 GMT'
    expect(retryAfterMs(header, NOW - 5000)).toBe(15_000)
    expect(retryAfterMs(header, NOW + 5000)).toBe(5000)
  })
})

describe('backoffMs', () => {
  const fixed = (value: number) => () => value
  const cases: [number, number, number, number, number][] = [
    // attempt, base, cap, random, expected
    [0, 500, 10_000, 0, 125],
    [0, 500, 10_000, 1, 500],
    [0, 500, 10_000, 0.5, 313],
    [1, 500, 10_000, 0, 250],
    [1, 500, 10_000, 1, 1000],
    [3, 500, 10_000, 0, 1000],
    [3, 500, 10_000, 1, 4000],
    [5, 500, 10_000, 0, 2500],
    [5, 500, 10_000, 1, 10_000],
    [30, 500, 10_000, 0.999, 9993],
    [0, 0, 10_000, 0.7, 0]
  ]
  it.each(cases)('attempt %d, base %d, cap %d, random %d -> %d', (attempt, base, cap, random, expected) => {
    expect(backoffMs(attempt, base, cap, fixed(random))).toBe(expected)
  })

  it.each([0, 1, 2, 3, 4, 5, 6, 10, 20])('stays within [ceiling/4, ceiling] at attempt %d', (attempt) => {
    const ceiling = Math.min(10_000, 500 * 2 ** attempt)
    for (const random of [0, 0.001, 0.25, 0.5, 0.75, 0.999999]) {
      const wait = backoffMs(attempt, 500, 10_000, fixed(random))
      expect(wait).toBeGreaterThanOrEqual(Math.floor(ceiling / 4))
      expect(wait).toBeLessThanOrEqual(ceiling)
    }
  })

  it('grows with the attempt until the cap', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, 500, 10_000, fixed(1)))
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000])
  })

  it('uses Math.random when no random is given, still within bounds', () => {
    const wait = backoffMs(2, 500, 10_000)
    expect(wait).toBeGreaterThanOrEqual(500)
    expect(wait).toBeLessThanOrEqual(2000)
  })
})

describe('RETRYABLE_STATUSES', () => {
  it.each([429, 500, 502, 503, 504])('retries %d', (status) => {
    expect(RETRYABLE_STATUSES.has(status)).toBe(true)
  })
  it.each([200, 400, 401, 403, 404, 409, 412, 501, 505])('does not retry %d', (status) => {
    expect(RETRYABLE_STATUSES.has(status)).toBe(false)
  })
})
