import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { segment } from '../../src/api/polyai.js'
import { activeFrom, mutationFrom, ShapeError, testRunFrom } from '../../src/api/shapes.js'
import { InputError } from '../../src/errors.js'
import { stateOf, verdictOf, type RunReport } from '../../src/gate/verdict.js'
import { readConfig } from '../../src/config/inputs.js'
import { parseId } from '../../src/config/parse.js'

// Properties over hostile inputs and API answers: never a crash, never a path changed by an ID.

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('..', '.', '/', '%2e%2e', '%2F', '?x=1', '#frag', '\u0000', '\r\n::error::x', ' ', '', 'a/../../b', '\u202e')
)

describe('readConfig', () => {
  it('accepts or refuses any input values with an InputError, never anything else', () => {
    const names = ['api-key', 'agent-id', 'operation', 'environment', 'deployment-id', 'message', 'region', 'base-url', 'wait-for-tests', 'test-run-ids', 'timeout', 'poll-interval', 'request-timeout', 'fail-on-test-failure', 'rollback-on-failure', 'if-unchanged', 'limit']
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), hostileText, { maxKeys: 3 }), (hostile) => {
        // A valid configuration with up to three inputs replaced by hostile text.
        const values: Record<string, string> = { 'api-key': 'k-secret-1', 'agent-id': 'a', operation: 'publish', ...hostile }
        try {
          const config = readConfig((name) => values[name] ?? '', {})
          expect(config.agentId.trim()).toBe(config.agentId)
          expect(config.agentId).not.toBe('')
          expect(config.timeoutMs).toBeGreaterThan(0)
          expect(config.pollIntervalMs).toBeGreaterThan(0)
          expect(config.baseUrl).toMatch(/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]?)/)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
        }
      }),
      { numRuns: 2000 }
    )
  })
})

describe('duration inputs', () => {
  it('are accepted only within their bounds, which every timer can hold', () => {
    const duration = fc.tuple(fc.nat({ max: 4_000_000_000 }), fc.constantFrom('', 'ms', 's', 'm', 'h')).map(([amount, unit]) => `${amount}${unit}`)
    fc.assert(
      fc.property(duration, duration, duration, (timeout, pollInterval, requestTimeout) => {
        const values: Record<string, string> = { 'api-key': 'k-secret-1', 'agent-id': 'a', operation: 'publish', timeout, 'poll-interval': pollInterval, 'request-timeout': requestTimeout }
        try {
          const config = readConfig((name) => values[name] ?? '', {})
          expect(config.timeoutMs).toBeLessThanOrEqual(24 * 3_600_000)
          expect(config.pollIntervalMs).toBeGreaterThanOrEqual(100)
          expect(config.pollIntervalMs).toBeLessThanOrEqual(config.timeoutMs)
          expect(config.requestTimeoutMs).toBeGreaterThanOrEqual(1000)
          expect(config.requestTimeoutMs).toBeLessThanOrEqual(10 * 60_000)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
        }
      }),
      { numRuns: 2000 }
    )
  })
})

describe('path segments', () => {
  it('an accepted ID is always exactly one path segment that decodes back to it', () => {
    fc.assert(
      fc.property(hostileText, (raw) => {
        let id: string
        try {
          id = parseId('agent-id', raw)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
          return
        }
        const url = new URL(`https://api.example.com/v1/agents/${segment(id)}/deployments/active`)
        const parts = url.pathname.split('/')
        expect(parts).toHaveLength(6)
        expect(decodeURIComponent(parts[3])).toBe(id)
        expect(url.search).toBe('')
        expect(url.hash).toBe('')
        expect(url.host).toBe('api.example.com')
      }),
      { numRuns: 3000 }
    )
  })
})

describe('answer shapes', () => {
  const checks = [activeFrom, mutationFrom, testRunFrom]
  it('any JSON answer is either a well-formed value or a ShapeError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...checks), (body, check) => {
        try {
          const value = check(body)
          expect(JSON.stringify(value)).not.toContain('undefined')
        } catch (error) {
          expect(error).toBeInstanceOf(ShapeError)
        }
      }),
      { numRuns: 3000 }
    )
  })

  it('a test run reads as passed only when every case is counted and passed, with a passing or unknown status', () => {
    const run = fc.record({
      id: fc.string({ minLength: 1 }),
      status: fc.constantFrom('completed', 'passed', 'failed', 'errored', 'running', 'pending', 'in_progress', 'queued', 'cancelled', 'timed_out', 'weird', 'COMPLETED'),
      passedCount: fc.nat(6),
      failedCount: fc.nat(3),
      errorCount: fc.nat(3),
      testCaseCount: fc.nat(8)
    })
    fc.assert(
      fc.property(run, (body) => {
        const parsed = testRunFrom(body)
        const counted = parsed.testCaseCount > 0 && parsed.passedCount === parsed.testCaseCount
        const failingStatus = ['failed', 'errored', 'timed_out', 'running', 'pending', 'in_progress'].includes(parsed.status)
        const clean = !failingStatus && counted && parsed.failedCount === 0 && parsed.errorCount === 0
        expect(stateOf(parsed) === 'passed').toBe(clean)
      }),
      { numRuns: 1000 }
    )
  })
})

describe('verdict', () => {
  const state = fc.constantFrom<RunReport['state']>('passed', 'failed', 'timed-out', 'unreadable', 'cancelled', 'running')
  const report = fc.record({ state, passed: fc.nat(50), failed: fc.nat(5), errored: fc.nat(5), total: fc.nat(60) }).map(
    (fields): RunReport => ({ id: 'r', status: '', failedCases: [], polls: 1, ...fields })
  )
  it('passes only when every run passed, and sums every count', () => {
    fc.assert(
      fc.property(fc.array(report, { maxLength: 30 }), (reports) => {
        const verdict = verdictOf(reports)
        const allPassed = reports.length > 0 && reports.every((entry) => entry.state === 'passed')
        expect(verdict.result === 'passed').toBe(allPassed)
        expect(verdict.failed).toBe(reports.reduce((sum, entry) => sum + entry.failed, 0))
        if (reports.some((entry) => entry.state === 'failed' || entry.state === 'unreadable')) expect(verdict.result).toBe('failed')
      }),
      { numRuns: 2000 }
    )
  })
})
