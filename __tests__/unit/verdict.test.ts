import { describe, it, expect } from '@jest/globals'
import type { TestCaseResult, TestRun } from '../../src/api/shapes.js'
import { isKnownStatus, reportFrom, RunReport, RunState, stateOf, verdictOf } from '../../src/gate/verdict.js'

function run(status: string, failedCount = 0, errorCount = 0, extra: Partial<TestRun> = {}): TestRun {
  return { id: 'run-1', status, passedCount: 3, failedCount, errorCount, testCaseCount: 3 + failedCount + errorCount, testHistory: [], ...extra }
}

function testCase(testCaseId: string, status: string, extra: Partial<TestCaseResult> = {}): TestCaseResult {
  return { testCaseId, name: testCaseId, status, failedAssertions: [], functionFailures: [], ...extra }
}

describe('stateOf', () => {
  // Every case counted: passedCount 3 plus the failed and errored given.
  const cases: [string, number, number, 'running' | 'passed' | 'failed'][] = [
    ['pending', 0, 0, 'running'],
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
    ['errored', 0, 0, 'failed'],
    ['timed_out', 0, 0, 'failed'],
    // Unknown statuses with every case counted are judged by their counts.
    ['succeeded', 0, 0, 'passed'],
    ['cancelled', 0, 0, 'passed'],
    ['queued', 1, 0, 'failed'],
    ['', 0, 1, 'failed']
  ]
  it.each(cases)('%j with %d failed and %d errored is %s', (status, failed, errored, expected) => {
    expect(stateOf(run(status, failed, errored))).toBe(expected)
  })

  it('keeps an unknown status with cases outstanding going', () => {
    expect(stateOf(run('queued', 0, 0, { passedCount: 1, testCaseCount: 3 }))).toBe('running')
    expect(stateOf(run('succeeded', 1, 0, { passedCount: 0, testCaseCount: 3 }))).toBe('running')
  })

  it('never passes an unknown status with no case at all', () => {
    expect(stateOf(run('succeeded', 0, 0, { passedCount: 0, testCaseCount: 0 }))).toBe('running')
  })

  it('fails a completed run that counts fewer cases than it has, or none', () => {
    expect(stateOf(run('completed', 0, 0, { passedCount: 2, testCaseCount: 3 }))).toBe('failed')
    expect(stateOf(run('completed', 0, 0, { passedCount: 0, testCaseCount: 0 }))).toBe('failed')
  })

  // Counts that say every case passed, with a history that lists one that did not.
  const passedByCounts = (status: string, caseStatus: string): TestRun =>
    run(status, 0, 0, { passedCount: 2, testCaseCount: 2, testHistory: [testCase('tc-1', 'passed'), testCase('tc-2', caseStatus)] })

  it.each(['failed', 'error', 'errored', 'timed_out'])('fails a finished run whose history lists a case %s, whatever its counts say', (caseStatus) => {
    expect(stateOf(passedByCounts('completed', caseStatus))).toBe('failed')
    expect(stateOf(passedByCounts('passed', caseStatus))).toBe('failed')
    expect(stateOf(passedByCounts('succeeded', caseStatus))).toBe('failed')
  })

  it('judges a run by its counts when its history is empty, or names a case status no source names', () => {
    expect(stateOf(run('completed', 0, 0, { testHistory: [] }))).toBe('passed')
    expect(stateOf(passedByCounts('completed', 'skipped'))).toBe('passed')
    expect(stateOf(passedByCounts('completed', 'completed'))).toBe('passed')
    expect(stateOf(run('completed', 1, 0, { testHistory: [testCase('tc-1', 'skipped')] }))).toBe('failed')
  })

  it('keeps a run going while it is still going, whatever its history lists', () => {
    expect(stateOf(run('running', 0, 0, { passedCount: 1, testCaseCount: 3, testHistory: [testCase('tc-1', 'failed')] }))).toBe('running')
  })
})

describe('isKnownStatus', () => {
  it.each(['pending', 'running', 'in_progress', 'completed', 'passed', 'failed', 'errored', 'timed_out'])(
    '%s is known',
    (status) => expect(isKnownStatus(status)).toBe(true)
  )
  it.each(['queued', 'cancelled', 'succeeded', 'canceled', 'RUNNING', 'done', ''])('%j is unknown', (status) => expect(isKnownStatus(status)).toBe(false))
})

describe('reportFrom', () => {
  it('copies counts and keeps failing cases, with no duration of its own', () => {
    const source = run('completed', 1, 1, {
      passedCount: 2,
      testCaseCount: 4,
      startedAt: '2025-06-01T12:00:00Z',
      testHistory: [
        testCase('a', 'passed'),
        testCase('b', 'failed', { name: 'Refund', failedAssertions: ['Offers a refund: it did not'] }),
        testCase('c', 'completed'),
        testCase('d', 'error', { conversationId: 'conv' })
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
      failedCases: [testCase('b', 'failed', { name: 'Refund', failedAssertions: ['Offers a refund: it did not'] }), testCase('d', 'error', { conversationId: 'conv' })],
      polls: 4
    })
  })

  it('says why a run with no failed case failed', () => {
    expect(reportFrom(run('completed', 0, 0, { passedCount: 0, testCaseCount: 0 }), 'failed', 1).note).toBe('it ran no test case')
    expect(reportFrom(run('timed_out'), 'failed', 1).note).toBe("it ended 'timed_out' with 3 of 3 cases passed")
  })

  it('says why a run whose counts say every case passed failed on its history', () => {
    const source = run('completed', 0, 0, { passedCount: 2, testCaseCount: 2, testHistory: [testCase('tc-1', 'passed'), testCase('tc-2', 'failed')] })
    expect(reportFrom(source, stateOf(source), 1)).toMatchObject({
      state: 'failed',
      failedCases: [testCase('tc-2', 'failed')],
      note: "it ended 'completed' with 2 of 2 cases passed, but its history lists 1 case that did not pass"
    })
    const two = run('passed', 0, 0, { testHistory: [testCase('tc-1', 'error'), testCase('tc-2', 'timed_out'), testCase('tc-3', 'passed')] })
    expect(reportFrom(two, stateOf(two), 1).note).toBe("it ended 'passed' with 3 of 3 cases passed, but its history lists 2 cases that did not pass")
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
