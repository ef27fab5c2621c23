import { describe, it, expect } from '@jest/globals'
import type { TestRun } from '../../src/api/shapes.js'
import { isKnownStatus, reportFrom, RunReport, RunState, stateOf, verdictOf } from '../../src/gate/verdict.js'

function run(status: string, failedCount = 0, errorCount = 0, extra: Partial<TestRun> = {}): TestRun {
  return { id: 'run-1', status, passedCount: 3, failedCount, errorCount, testCaseCount: 3 + failedCount + errorCount, testHistory: [], ...extra }
}

describe('stateOf', () => {
  const cases: [string, number, number, 'running' | 'passed' | 'failed'][] = [
    ['pending', 0, 0, 'running'],
    ['queued', 0, 0, 'running'],
    ['running', 0, 0, 'running'],
    ['in_progress', 0, 0, 'running'],
    ['running', 2, 1, 'running'],
    ['completed', 0, 0, 'passed'],
    ['passed', 0, 0, 'passed'],
    ['completed', 1, 0, 'failed'],
    ['completed', 0, 1, 'failed'],
    ['passed', 1, 0, 'failed'],
    ['passed', 0, 2, 'failed'],
    ['failed', 0, 0, 'failed'],
    ['failed', 3, 0, 'failed'],
    ['error', 0, 0, 'failed'],
    ['errored', 0, 0, 'failed'],
    ['timed_out', 0, 0, 'failed'],
    ['cancelled', 0, 0, 'failed'],
    ['succeeded', 0, 0, 'running'],
    ['canceled', 0, 0, 'running'],
    ['', 0, 0, 'running']
  ]
  it.each(cases)('%j with %d failed and %d errored is %s', (status, failed, errored, expected) => {
    expect(stateOf(run(status, failed, errored))).toBe(expected)
  })
})

describe('isKnownStatus', () => {
  it.each(['pending', 'queued', 'running', 'in_progress', 'completed', 'passed', 'failed', 'error', 'errored', 'timed_out', 'cancelled'])(
    '%s is known',
    (status) => expect(isKnownStatus(status)).toBe(true)
  )
  it.each(['succeeded', 'canceled', 'RUNNING', 'done', ''])('%j is unknown', (status) => expect(isKnownStatus(status)).toBe(false))
})

describe('reportFrom', () => {
  it('copies counts, keeps failing cases and measures the duration', () => {
    const source = run('completed', 1, 1, {
      passedCount: 2,
      testCaseCount: 4,
      startedAt: '2025-06-01T12:00:00Z',
      finishedAt: '2025-06-01T12:01:30Z',
      testHistory: [
        { testCaseId: 'a', status: 'passed' },
        { testCaseId: 'b', status: 'failed' },
        { testCaseId: 'c', status: 'completed' },
        { testCaseId: 'd', status: 'error', conversationId: 'conv' }
      ]
    })
    expect(reportFrom(source, 'failed', 4)).toEqual({
      id: 'run-1',
      state: 'failed',
      status: 'completed',
      passed: 2,
      failed: 1,
      errored: 1,
      total: 4,
      failedCases: [
        { testCaseId: 'b', status: 'failed' },
        { testCaseId: 'd', status: 'error', conversationId: 'conv' }
      ],
      durationMs: 90_000,
      polls: 4
    })
  })

  it.each([
    ['no dates', {}],
    ['no finish', { startedAt: '2025-06-01T12:00:00Z' }],
    ['unreadable start', { startedAt: 'yesterday', finishedAt: '2025-06-01T12:00:00Z' }]
  ])('has no duration with %s', (_name, dates) => {
    expect(reportFrom(run('passed', 0, 0, dates), 'passed', 1).durationMs).toBeUndefined()
  })
})

function report(state: RunState, passed = 0, failed = 0, errored = 0, total = passed + failed + errored): RunReport {
  return { id: `run-${state}`, state, status: '', passed, failed, errored, total, failedCases: [], polls: 1 }
}

describe('verdictOf', () => {
  const cases: [string, RunState[], string][] = [
    ['no runs', [], 'none'],
    ['one passed', ['passed'], 'passed'],
    ['all passed', ['passed', 'passed', 'passed'], 'passed'],
    ['one failed', ['failed'], 'failed'],
    ['failed beats passed', ['passed', 'failed'], 'failed'],
    ['failed beats timed out', ['timed-out', 'failed'], 'failed'],
    ['failed beats timed out in any order', ['failed', 'timed-out', 'passed'], 'failed'],
    ['unreadable counts as failed', ['unreadable'], 'failed'],
    ['unreadable beats timed out', ['timed-out', 'unreadable'], 'failed'],
    ['timed out beats passed', ['passed', 'timed-out'], 'timed-out'],
    ['still running counts as timed out', ['passed', 'running'], 'timed-out'],
    ['cancelled', ['cancelled'], 'cancelled'],
    ['cancelled beats timed out', ['timed-out', 'cancelled', 'passed'], 'cancelled'],
    ['cancelled beats still running', ['running', 'cancelled'], 'cancelled'],
    ['failed beats cancelled', ['cancelled', 'failed'], 'failed'],
    ['unreadable beats cancelled', ['cancelled', 'unreadable'], 'failed']
  ]
  it.each(cases)('%s', (_name, states, result) => {
    expect(verdictOf(states.map((state) => report(state))).result).toBe(result)
  })

  it('sums the counts over every run', () => {
    const verdict = verdictOf([report('passed', 5, 0, 0, 5), report('failed', 2, 3, 1, 6), report('timed-out', 1, 0, 0, 4)])
    expect(verdict).toEqual({ result: 'failed', passed: 8, failed: 3, errored: 1, total: 15 })
  })

  it('gives zero counts when there are no runs', () => {
    expect(verdictOf([])).toEqual({ result: 'none', passed: 0, failed: 0, errored: 0, total: 0 })
  })

  it('does not let passing counts hide a failed state', () => {
    expect(verdictOf([report('failed', 10, 0, 0, 10)]).result).toBe('failed')
  })
})
