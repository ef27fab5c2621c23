import type { ApiClient } from '../api/client.js'
import { getTestRun } from '../api/polyai.js'
import type { TestRun } from '../api/shapes.js'
import { Clock, systemClock } from '../clock.js'
import { ApiError, CancelledError } from '../errors.js'
import { Turns } from '../turns.js'
import { firstPollDelay, nextPollDelay, predictEnd, Progress, progressAfter } from './schedule.js'
import { isKnownStatus, reportFrom, RunReport, stateOf } from './verdict.js'

/** Polls every test run concurrently until each finishes, the deadline passes or the run is cancelled. */

export interface WaitOptions {
  client: ApiClient
  agentId: string
  pollIntervalMs: number
  /** The whole wait ends here (ms since epoch), retries included. */
  deadline: number
  signal: AbortSignal
  /** A run that cannot be read for this long, in failed polls in a row, fails the gate. */
  unreadableAfterMs?: number
  /** …and for at least this many failed polls. */
  unreadableAfterPolls?: number
  onRunFinished?: (report: RunReport) => void
  onPoll?: (run: TestRun) => void
  /** After each poll of a running run: how long until the next, and when the run is predicted to end. */
  onSchedule?: (id: string, next: { delayMs: number; predictedEndAt?: number }) => void
  warn?: (message: string) => void
  /** The system clock unless given (the benchmark and the tests drive a virtual one). */
  clock?: Clock
  /** Spreads the first polls of many runs; Math.random unless given. */
  random?: () => number
}

export function waitForTestRuns(testRunIds: string[], options: WaitOptions): Promise<RunReport[]> {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  // Many runs start together: spread their first polls so they do not arrive as one burst.
  const spreadMs = Math.min(options.pollIntervalMs, 10 * testRunIds.length)
  const firstMs = firstPollDelay(limitsFor(options))
  // The deadline also bounds a request in flight; one signal serves every run (one per poll would pile up listeners).
  const withinDeadline = AbortSignal.any([options.signal, clock.timeout(Math.max(1, options.deadline - clock.now()))])
  // Runs that fall due together wait here, as one small promise each, rather than deep in the client
  // as a chain of calls each: hundreds of those outlive young-generation collections and make V8 grow
  // its young generation by tens of MB.
  const turns = new Turns(options.client.turns.size)
  const shared = { withinDeadline, turns, clock }
  return Promise.all(testRunIds.map((id) => waitForOneRun(id, options, shared, Math.min(firstMs + random() * spreadMs, options.deadline - clock.now()))))
}

function limitsFor(options: WaitOptions): { pollIntervalMs: number; maxDelayMs: number } {
  return { pollIntervalMs: options.pollIntervalMs, maxDelayMs: Math.max(options.pollIntervalMs, 60_000) }
}

async function waitForOneRun(
  id: string,
  options: WaitOptions,
  shared: { withinDeadline: AbortSignal; turns: Turns; clock: Clock },
  firstDelayMs: number
): Promise<RunReport> {
  const unreadableAfterMs = options.unreadableAfterMs ?? 60_000
  const unreadableAfterPolls = options.unreadableAfterPolls ?? 5
  let polls = 0
  let last: RunReport | undefined
  let failingSince: number | undefined
  let failedPolls = 0
  let lastError = ''
  const { clock } = shared
  const firstPollAt = clock.now()
  let progress: Progress | undefined
  let warnedStatus = false

  const endWith = (state: RunReport['state'], note?: string): RunReport => {
    const report: RunReport = last
      ? { ...last, state, polls }
      : { id, state, status: '', passed: 0, failed: 0, errored: 0, total: 0, failedCases: [], polls }
    if (note) report.note = note
    return report
  }

  try {
    await clock.sleep(firstDelayMs, options.signal)
  } catch {
    return endWith('cancelled', 'still going when the run was cancelled')
  }
  for (;;) {
    const now = clock.now()
    if (options.signal.aborted) return endWith('cancelled', 'still going when the run was cancelled')
    if (now >= options.deadline) return endWith('timed-out', 'still going when timeout was reached')
    let delay: number
    try {
      await shared.turns.take()
      let seen
      try {
        // The turn may come after the wait was cancelled or ran out of time.
        if (shared.withinDeadline.aborted) throw new CancelledError()
        polls++
        seen = await readOnce(id, polls, options, shared.withinDeadline)
      } finally {
        shared.turns.give()
      }
      last = seen.report
      failingSince = undefined
      failedPolls = 0
      if (!isKnownStatus(last.status) && !warnedStatus) {
        warnedStatus = true
        options.warn?.(
          last.state === 'running'
            ? `Test run ${id} reports an unknown status '${last.status}'; waiting until every case is counted`
            : `Test run ${id} reports an unknown status '${last.status}'; every case is counted, so it is judged by its counts`
        )
      }
      if (last.state !== 'running') {
        last.durationMs = Date.now() - firstPollAt
        options.onRunFinished?.(last)
        return last
      }
      progress = progressAfter(progress, seen.progress, clock.now(), firstPollAt)
      delay = nextPollDelay(progress, limitsFor(options))
      options.onSchedule?.(id, { delayMs: delay, predictedEndAt: predictEnd(progress)?.at })
    } catch (error) {
      if (options.signal.aborted || error instanceof CancelledError) {
        if (options.signal.aborted) return endWith('cancelled', 'still going when the run was cancelled')
        return endWith('timed-out', 'still going when timeout was reached')
      }
      if (isFinal(error)) {
        const report = endWith('unreadable', `could not be read: ${(error as Error).message}`)
        options.onRunFinished?.(report)
        return report
      }
      // The run goes on server-side: tolerate failed polls for a while (500s, resets, an early 404).
      failedPolls++
      failingSince ??= clock.now()
      lastError = (error as Error).message
      if (failedPolls >= unreadableAfterPolls && clock.now() - failingSince >= unreadableAfterMs) {
        const seconds = Math.round((clock.now() - failingSince) / 1000)
        const report = endWith('unreadable', `could not be read for ${seconds}s (${failedPolls} failed polls in a row); last error: ${lastError}`)
        options.onRunFinished?.(report)
        return report
      }
      delay = Math.min(options.pollIntervalMs, 2000 * failedPolls)
    }
    try {
      await clock.sleep(Math.min(delay, options.deadline - clock.now()), options.signal)
    } catch {
      return endWith('cancelled', 'still going when the run was cancelled')
    }
  }
}

/** One poll, boiled down to what the wait needs: the whole run is not kept while the loop sleeps. */
async function readOnce(
  id: string,
  polls: number,
  options: WaitOptions,
  signal: AbortSignal
): Promise<{ report: RunReport; progress: Parameters<typeof progressAfter>[1] }> {
  const run = await getTestRun(options.client, options.agentId, id, { tries: 1, signal })
  options.onPoll?.(run)
  const done = Math.max(run.testHistory.length, run.passedCount + run.failedCount + run.errorCount)
  return {
    report: reportFrom(run, stateOf(run), polls),
    // The run's start on our clock: the server's may be minutes away from ours.
    progress: { startedAt: run.startedAt ? Date.parse(run.startedAt) - (run.serverAheadMs ?? 0) : undefined, done, total: run.testCaseCount }
  }
}

/** A 4xx other than 404 and 429 will not change by asking again. */
function isFinal(error: unknown): boolean {
  if (error instanceof ApiError) {
    if (error.errorCode === 'INVALID_RESPONSE') return false
    return error.status >= 400 && error.status < 500 && error.status !== 404 && error.status !== 429
  }
  return false
}
