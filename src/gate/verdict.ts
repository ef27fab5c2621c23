import type { TestCaseResult, TestRun } from '../api/shapes.js'

/** Pure rules: what a run's status means, and what all the runs together say. */

// The statuses PolyAI's ADK and its reference page name; no source names any other.
const STILL_GOING = new Set(['pending', 'running', 'in_progress'])
const FINISHED = new Set(['completed', 'passed', 'failed', 'errored', 'timed_out'])
// A case status no source names leaves the run to its counts, as an unknown run status does.
const CASE_NOT_PASSED = new Set(['failed', 'error', 'errored', 'timed_out'])

export type RunState = 'running' | 'passed' | 'failed' | 'timed-out' | 'unreadable' | 'cancelled'

/** Every case accounted for: passed, failed and errored add up to a non-zero case count. */
export function allCasesCounted(run: TestRun): boolean {
  return run.testCaseCount > 0 && run.passedCount + run.failedCount + run.errorCount === run.testCaseCount
}

/** How many cases the run's history says did not pass; a run read from the list may carry no history. */
function casesNotPassed(run: TestRun): number {
  return run.testHistory.filter((entry) => CASE_NOT_PASSED.has(entry.status)).length
}

/**
 * A finished run passes only as completed or passed, with every case counted, none failed or
 * errored, and none that its history says did not pass, whatever the counts say. An unknown status
 * is finished once every case is counted, and judged by the counts; until then it is still going
 * (the timeout bounds it). It never passes on its own.
 */
export function stateOf(run: TestRun): 'running' | 'passed' | 'failed' {
  if (STILL_GOING.has(run.status)) return 'running'
  const known = FINISHED.has(run.status)
  if (!known && !allCasesCounted(run)) return 'running'
  const clean = run.failedCount === 0 && run.errorCount === 0 && allCasesCounted(run) && casesNotPassed(run) === 0
  const passingStatus = !known || run.status === 'completed' || run.status === 'passed'
  return passingStatus && clean ? 'passed' : 'failed'
}

export function isKnownStatus(status: string): boolean {
  return STILL_GOING.has(status) || FINISHED.has(status)
}

export interface RunReport {
  id: string
  state: RunState
  /** The last status the API gave, or empty when the run was never read. */
  status: string
  passed: number
  failed: number
  errored: number
  total: number
  failedCases: TestCaseResult[]
  /** From the start of the wait to the poll that saw the run finish: what the action saw, not the server's figure. */
  durationMs?: number
  polls: number
  /** Why a run is unreadable, timed out or cancelled. */
  note?: string
}

export function reportFrom(run: TestRun, state: RunState, polls: number): RunReport {
  const report: RunReport = {
    id: run.id,
    state,
    status: run.status,
    passed: run.passedCount,
    failed: run.failedCount,
    errored: run.errorCount,
    total: run.testCaseCount,
    failedCases: run.testHistory.filter((entry) => entry.status !== 'passed' && entry.status !== 'completed'),
    polls
  }
  if (state === 'failed' && run.testCaseCount === 0) report.note = 'it ran no test case'
  else if (state === 'failed' && run.failedCount + run.errorCount === 0) {
    const unpassed = casesNotPassed(run)
    const history = unpassed > 0 ? `, but its history lists ${unpassed} ${unpassed === 1 ? 'case' : 'cases'} that did not pass` : ''
    report.note = `it ended '${run.status}' with ${run.passedCount} of ${run.testCaseCount} cases passed${history}`
  }
  return report
}

export type TestsResult = 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'none' | 'skipped'

export interface Verdict {
  result: TestsResult
  passed: number
  failed: number
  errored: number
  total: number
}

/** The gate passes only when every run passed; a failure outweighs a cancellation, which outweighs a time-out. */
export function verdictOf(reports: RunReport[]): Verdict {
  const sum = (pick: (report: RunReport) => number): number => reports.reduce((total, report) => total + pick(report), 0)
  const counts = {
    passed: sum((report) => report.passed),
    failed: sum((report) => report.failed),
    errored: sum((report) => report.errored),
    total: sum((report) => report.total)
  }
  if (reports.length === 0) return { result: 'none', ...counts }
  const states = new Set(reports.map((report) => report.state))
  if (states.has('failed') || states.has('unreadable')) return { result: 'failed', ...counts }
  if (states.has('cancelled')) return { result: 'cancelled', ...counts }
  if (states.has('timed-out') || states.has('running')) return { result: 'timed-out', ...counts }
  return { result: 'passed', ...counts }
}
