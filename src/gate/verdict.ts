import type { TestCaseResult, TestRun } from '../api/shapes.js'

/** Pure rules: what a run's status means, and what all the runs together say. */

const STILL_GOING = new Set(['pending', 'queued', 'running', 'in_progress'])
const FINISHED = new Set(['completed', 'passed', 'failed', 'error', 'errored', 'timed_out', 'cancelled'])

export type RunState = 'running' | 'passed' | 'failed' | 'timed-out' | 'unreadable' | 'cancelled'

/** A finished run passes only as completed/passed with no failed and no errored case. */
export function stateOf(run: TestRun): 'running' | 'passed' | 'failed' {
  if (STILL_GOING.has(run.status)) return 'running'
  // An unknown status is treated as still going: the timeout bounds it, and it never passes.
  if (!FINISHED.has(run.status)) return 'running'
  const clean = run.failedCount === 0 && run.errorCount === 0
  return (run.status === 'completed' || run.status === 'passed') && clean ? 'passed' : 'failed'
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
  durationMs?: number
  polls: number
  /** Why a run is unreadable, timed out or cancelled. */
  note?: string
}

export function reportFrom(run: TestRun, state: RunState, polls: number): RunReport {
  const started = run.startedAt ? Date.parse(run.startedAt) : NaN
  const finished = run.finishedAt ? Date.parse(run.finishedAt) : NaN
  return {
    id: run.id,
    state,
    status: run.status,
    passed: run.passedCount,
    failed: run.failedCount,
    errored: run.errorCount,
    total: run.testCaseCount,
    failedCases: run.testHistory.filter((entry) => entry.status !== 'passed' && entry.status !== 'completed'),
    durationMs: Number.isFinite(started) && Number.isFinite(finished) ? finished - started : undefined,
    polls
  }
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
