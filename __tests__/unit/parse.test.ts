import { describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { parseBoolean, parseChoice, parseDuration, parseId, parseList, parsePositiveInteger } from '../../src/config/parse.js'

/** Runs `fn` and returns what it threw, failing the test when it did not throw. */
function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('parseDuration', () => {
  const cases: [string, number][] = [
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['45', 45_000],
    ['0.5', 500],
    ['1.5m', 90_000],
    ['  2s  ', 2000],
    ['1ms', 1],
    ['0.5h', 1_800_000],
    ['1.0015s', 1002]
  ]
  it.each(cases)('%j is %d ms', (value, expected) => {
    expect(parseDuration('timeout', value)).toBe(expected)
  })

  it.each(['0', '0s', '0ms'])('rejects %j as no time at all, naming the input', (value) => {
    expect(() => parseDuration('timeout', value)).toThrow(`Input 'timeout' must be longer than zero (at least 1ms); got '${value}'`)
  })

  const bad = ['', '   ', '-5s', '5 s', '5x', '5S', '1d', 'ms', '1e3', '.5s', '5.s', '1h30m', 'Infinity', 'NaN', '0x10']
  it.each(bad)('rejects %j and names the input', (value) => {
    const error = thrown(() => parseDuration('poll-interval', value))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(/^Input 'poll-interval' must be a duration/)
    expect(error.message).toContain(`got '${value}'`)
  })

  it('refuses a duration outside its bounds, naming the bound as written', () => {
    expect(parseDuration('timeout', '24h', { max: '24h' })).toBe(86_400_000)
    expect(() => parseDuration('timeout', '86400001ms', { max: '24h' })).toThrow("Input 'timeout' must be at most 24h; got '86400001ms'")
    expect(parseDuration('poll-interval', '0.1', { min: '100ms' })).toBe(100)
    expect(() => parseDuration('poll-interval', '99ms', { min: '100ms' })).toThrow("Input 'poll-interval' must be at least 100ms; got '99ms'")
  })

  // BUG: a positive value below half a millisecond passes the `ms <= 0` check and then rounds to 0.
  const roundsToZero = ['0.4ms', '0.0001', '0.0004s']
  it.each(roundsToZero)('rejects %j, which would round to a zero duration', (value) => {
    expect(() => parseDuration('poll-interval', value)).toThrow(InputError)
  })
})

describe('parseBoolean', () => {
  const cases: [string, boolean][] = [
    ['true', true], ['TRUE', true], [' yes ', true], ['1', true], ['On', true],
    ['false', false], ['False', false], ['no', false], ['0', false], ['OFF', false]
  ]
  it.each(cases)('%j is %s', (value, expected) => {
    expect(parseBoolean('wait-for-tests', value)).toBe(expected)
  })

  it.each(['', 'y', 'n', '2', 'truthy', 'enabled', 't'])('rejects %j and names the input', (value) => {
    const error = thrown(() => parseBoolean('wait-for-tests', value))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(`Input 'wait-for-tests' must be true or false; got '${value}'`)
  })
})

describe('parseChoice', () => {
  const choices = ['sandbox', 'pre-release', 'live'] as const
  const cases: [string, string][] = [
    ['sandbox', 'sandbox'], ['LIVE', 'live'], [' Pre-Release ', 'pre-release']
  ]
  it.each(cases)('%j is %j', (value, expected) => {
    expect(parseChoice('environment', value, choices)).toBe(expected)
  })

  it.each(['', 'prod', 'pre_release', 'prerelease', 'sand box'])('rejects %j and lists the choices', (value) => {
    const error = thrown(() => parseChoice('environment', value, choices))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(`Input 'environment' must be one of sandbox, pre-release, live; got '${value}'`)
  })
})

describe('parsePositiveInteger', () => {
  const cases: [string, number][] = [['1', 1], ['20', 20], [' 1000 ', 1000], ['007', 7]]
  it.each(cases)('%j is %d', (value, expected) => {
    expect(parsePositiveInteger('limit', value, 1000)).toBe(expected)
  })

  it.each(['', '0', '1001', '-1', '+5', '1.0', '1.5', '1e2', 'ten', '0x10', '99999999999999999999'])(
    'rejects %j and states the range',
    (value) => {
      const error = thrown(() => parsePositiveInteger('limit', value, 1000))
      expect(error).toBeInstanceOf(InputError)
      expect(error.message).toBe(`Input 'limit' must be a whole number from 1 to 1000; got '${value}'`)
    }
  )
})

describe('parseList', () => {
  const cases: [string, string, string[]][] = [
    ['empty', '', []],
    ['blank', '  \n ', []],
    ['one value', 'run-1', ['run-1']],
    ['commas', 'a, b ,c', ['a', 'b', 'c']],
    ['new lines', 'a\nb\n\nc\n', ['a', 'b', 'c']],
    ['CRLF', 'a\r\nb\r\n', ['a', 'b']],
    ['commas and new lines', 'a,b\nc', ['a', 'b', 'c']],
    ['empty items dropped', ',,a,,', ['a']],
    ['JSON array', '["a","b"]', ['a', 'b']],
    ['JSON array with spaces and blanks', ' [ " a ", "", "b" ] ', ['a', 'b']],
    ['empty JSON array', '[]', []],
    ['JSON items keep commas', '["a,b"]', ['a,b']]
  ]
  it.each(cases)('%s', (_name, value, expected) => {
    expect(parseList('test-run-ids', value)).toEqual(expected)
  })

  const bad: [string, string, string][] = [
    ['broken JSON', '["a",', "Input 'test-run-ids' looks like a JSON array but is not valid JSON: quote each value, as in [\"a\",\"b\"], or give the values separated by commas or new lines"],
    ['numbers', '[1, 2]', "Input 'test-run-ids' must be a JSON array of strings, or values separated by commas or new lines"],
    ['mixed', '["a", null]', "Input 'test-run-ids' must be a JSON array of strings, or values separated by commas or new lines"],
    ['nested', '[["a"]]', "Input 'test-run-ids' must be a JSON array of strings, or values separated by commas or new lines"]
  ]
  it.each(bad)('rejects %s', (_name, value, message) => {
    const error = thrown(() => parseList('test-run-ids', value))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(message)
  })
})

describe('parseId', () => {
  const cases: [string, string][] = [
    ['agent-123', 'agent-123'],
    ['  padded  ', 'padded'],
    ['a/b', 'a/b'],
    ['...', '...'],
    ['%2e%2e', '%2e%2e'],
    ['ünïcode', 'ünïcode'],
    ['x'.repeat(200), 'x'.repeat(200)]
  ]
  it.each(cases)('accepts %j', (value, expected) => {
    expect(parseId('agent-id', value)).toBe(expected)
  })

  const bad: [string, string, string][] = [
    ['empty', '', 'must not be empty or whitespace'],
    ['whitespace', ' \t ', 'must not be empty or whitespace'],
    ['dot', '.', "must be an ID, not '.'"],
    ['dot dot', ' .. ', "must be an ID, not '..'"],
    ['new line inside', 'a\nb', 'must not contain control characters'],
    ['tab inside', 'a\tb', 'must not contain control characters'],
    ['NUL', 'a\u0000b', 'must not contain control characters'],
    ['DEL', 'a\u007fb', 'must not contain control characters'],
    ['C1', 'a\u009bb', 'must not contain control characters'],
    ['too long', 'x'.repeat(201), 'must be at most 200 characters long']
  ]
  it.each(bad)('rejects %s', (_name, value, problem) => {
    const error = thrown(() => parseId('deployment-id', value))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(`Input 'deployment-id' ${problem}`)
  })
})
