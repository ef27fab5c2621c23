import { InputError } from '../errors.js'

/** Pure parsers for input strings; each names the input in its error. */

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * `90s`, `15m`, `1h`, `250ms` or plain seconds (`45`, `0.5`) to milliseconds. `bounds`, written as
 * durations too (`{ max: '24h' }`), are named in the error as written.
 */
export function parseDuration(input: string, value: string, bounds: { min?: string; max?: string } = {}): number {
  const match = DURATION.exec(value.trim())
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']) : NaN
  // Checked after rounding: '0.4ms' would otherwise become a zero interval.
  if (!match) throw new InputError(input, `must be a duration such as 90s, 15m, 1h or plain seconds; got '${value}'`)
  if (!(ms > 0)) throw new InputError(input, `must be longer than zero (at least 1ms); got '${value}'`)
  if (bounds.min !== undefined && ms < parseDuration(input, bounds.min)) throw new InputError(input, `must be at least ${bounds.min}; got '${value}'`)
  if (bounds.max !== undefined && ms > parseDuration(input, bounds.max)) throw new InputError(input, `must be at most ${bounds.max}; got '${value}'`)
  return ms
}

export function parseBoolean(input: string, value: string): boolean {
  const normalised = value.trim().toLowerCase()
  if (['true', 'yes', '1', 'on'].includes(normalised)) return true
  if (['false', 'no', '0', 'off'].includes(normalised)) return false
  throw new InputError(input, `must be true or false; got '${value}'`)
}

export function parseChoice<T extends string>(input: string, value: string, choices: readonly T[]): T {
  const normalised = value.trim().toLowerCase()
  const found = choices.find((choice) => choice === normalised)
  if (!found) throw new InputError(input, `must be one of ${choices.join(', ')}; got '${value}'`)
  return found
}

export function parsePositiveInteger(input: string, value: string, max: number): number {
  const trimmed = value.trim()
  const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN
  if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
    throw new InputError(input, `must be a whole number from 1 to ${max}; got '${value}'`)
  }
  return parsed
}

/** A JSON array of strings, or values separated by commas or new lines. */
export function parseList(input: string, value: string): string[] {
  const trimmed = value.trim()
  if (trimmed === '') return []
  if (trimmed.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      throw new InputError(input, 'looks like a JSON array but is not valid JSON: quote each value, as in ["a","b"], or give the values separated by commas or new lines')
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      throw new InputError(input, 'must be a JSON array of strings, or values separated by commas or new lines')
    }
    return parsed.map((item) => item.trim()).filter((item) => item !== '')
  }
  return trimmed
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

// Control characters (C0, DEL, C1) could smuggle log commands or headers.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/ // eslint-disable-line no-control-regex

/** An identifier that goes into a URL path as one segment. */
export function parseId(input: string, value: string): string {
  const trimmed = value.trim()
  if (trimmed === '') throw new InputError(input, 'must not be empty or whitespace')
  if (trimmed === '.' || trimmed === '..') throw new InputError(input, `must be an ID, not '${trimmed}'`)
  if (CONTROL.test(trimmed)) throw new InputError(input, 'must not contain control characters')
  if (trimmed.length > 200) throw new InputError(input, 'must be at most 200 characters long')
  return trimmed
}
