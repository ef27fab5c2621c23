import { getMaxListeners, setMaxListeners } from 'node:events'
import type { ApiClient } from '../api/client.js'
import { getTestRun } from '../api/polyai.js'
import type { TestRun } from '../api/shapes.js'
import { Clock, systemClock } from '../time/clock.js'
import { ApiError, CancelledError } from '../errors.js'
import { Semaphore } from '../api/semaphore.js'
import { firstPollDelay, nextPollDelay, Progress, progressAfter } from './schedule.js'
import { isKnownStatus, reportFrom, RunReport, stateOf } from './verdict.js'

/** Polls every test run concurrently until each finishes, the deadline passes or the run is cancelled. */

export interface WaitOptions {
  client: ApiClient
  agentId: string
  pollIntervalMs: number
  /** The whole wait ends here (ms since epoch), retries included. */
  deadline: number
  signal: AbortSignal
  onRunFinished?: (report: RunReport) => void
  onPoll?: (run: TestRun) => void
  /** After each poll of a running run: how long until the next, and the window its end is predicted in. */
  onSchedule?: (id: string, next: { delayMs: number; earliestEndAt?: number; latestEndAt?: number }) => void
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
  // Every run sleeps and polls on these signals at once: that many listeners is the design, not a leak.
  setMaxListeners(Math.max(getMaxListeners(options.signal), 2 * testRunIds.length + 10), options.signal, withinDeadline)
  // Runs that fall due together wait here, as one small promise each, rather than deep in the client
  // as a chain of calls each: hundreds of those outlive young-generation collections and make V8 grow
  // its young generation by tens of MB.
  const turns = new Semaphore(options.client.turns.size)
  const shared = { withinDeadline, turns, clock }
  return Promise.all(testRunIds.map((id) => waitForOneRun(id, options, shared, Math.min(firstMs + random() * spreadMs, options.deadline - clock.now()))))
}

function limitsFor(options: WaitOptions): { pollIntervalMs: number; maxDelayMs: number } {
  return { pollIntervalMs: options.pollIntervalMs, maxDelayMs: Math.max(options.pollIntervalMs, 60_000) }
}

/** A run that cannot be read for this long, and for at least this many failed polls in a row, fails the gate. */
const UNREADABLE_AFTER_MS = 60_000
const UNREADABLE_AFTER_POLLS = 5
/** How long before the deadline the last poll is sent, so that its answer comes within it. */
const FINAL_POLL_LEAD_MS = 300

type Shared = { withinDeadline: AbortSignal; turns: Semaphore; clock: Clock }

async function waitForOneRun(id: string, options: WaitOptions, shared: Shared, firstDelayMs: number): Promise<RunReport> {
  const watch = new RunWatch(id, options, shared)
  let delay = firstDelayMs
  for (;;) {
    // A wait the deadline cuts short ends in one last poll just before it: a run that finished in
    // the meantime is read as finished, not reported as timed out (which a rollback would act on).
    const left = options.deadline - shared.clock.now()
    const last = delay >= left && left > FINAL_POLL_LEAD_MS
    try {
      await shared.clock.sleep(last ? left - FINAL_POLL_LEAD_MS : Math.min(delay, left), options.signal)
    } catch {
      return watch.end('cancelled')
    }
    if (options.signal.aborted) return watch.end('cancelled')
    if (shared.clock.now() >= options.deadline) return watch.end('timed-out')
    const next = await watch.poll()
    if (typeof next !== 'number') return next
    if (last) return watch.end('timed-out')
    delay = next
  }
}

/** One run's wait: what it has seen so far, and what each poll or failed poll means for it. */
class RunWatch {
  private polls = 0
  private last: RunReport | undefined
  private progress: Progress | undefined
  private failingSince: number | undefined
  private failedPolls = 0
  /** Those of the failed polls answered 404, and the last error: all that is known of a run never read. */
  private notFoundPolls = 0
  private lastError: Error | undefined
  private warnedStatus = false
  /** When the wait for this run began: its start where the server gives none, and where its duration counts from. */
  private readonly waitStartedAt: number

  constructor(
    private readonly id: string,
    private readonly options: WaitOptions,
    private readonly shared: Shared
  ) {
    this.waitStartedAt = shared.clock.now()
  }

  /** Polls once: the report when the run has ended (or cannot be read), else how long to wait. */
  async poll(): Promise<RunReport | number> {
    let seen
    try {
      seen = await this.readInTurn()
    } catch (error) {
      return this.failedPoll(error)
    }
    this.last = seen.report
    this.failingSince = undefined
    this.failedPolls = 0
    this.warnOfUnknownStatus(seen.report)
    if (seen.report.state !== 'running') {
      seen.report.durationMs = this.shared.clock.now() - this.waitStartedAt
      return this.finish(seen.report)
    }
    const { clock } = this.shared
    this.progress = progressAfter(this.progress, seen.progress, clock.now(), this.waitStartedAt, seen.roundTripMs)
    const delay = nextPollDelay(this.progress, limitsFor(this.options))
    const { end } = this.progress
    this.options.onSchedule?.(this.id, { delayMs: delay, earliestEndAt: end?.earliest, latestEndAt: end?.latest })
    return delay
  }

  /** The report as the run stands, ending `state`: cancelled and timed out keep the last counts seen. */
  end(state: 'cancelled' | 'timed-out' | 'unreadable', note = state === 'unreadable' ? undefined : this.endingNote(state)): RunReport {
    const report: RunReport = this.last
      ? { ...this.last, state, polls: this.polls }
      : { id: this.id, state, status: '', passed: 0, failed: 0, errored: 0, total: 0, failedCases: [], polls: this.polls }
    if (note) report.note = note
    return report
  }

  /** A run read is still going when the wait ends; one never read may not exist at all, and says so. */
  private endingNote(state: 'cancelled' | 'timed-out'): string {
    if (this.last) return `still going when ${ENDED_BY[state]}`
    if (this.failedPolls > 0 && this.notFoundPolls === this.failedPolls) return `never found: all ${this.failedPolls} polls answered 404`
    if (this.lastError) return `never read (${this.failedPolls} failed polls); last error: ${this.lastError.message}`
    return `never read: ${ENDED_BY[state]} before any poll was answered`
  }

  private async readInTurn(): Promise<Awaited<ReturnType<typeof readOnce>> & { roundTripMs: number }> {
    await this.shared.turns.take()
    try {
      // The turn may come after the wait was cancelled or ran out of time.
      if (this.shared.withinDeadline.aborted) throw new CancelledError()
      this.polls++
      const sentAt = this.shared.clock.now()
      const seen = await readOnce(this.id, this.polls, this.options, this.shared.withinDeadline)
      return { ...seen, roundTripMs: this.shared.clock.now() - sentAt }
    } finally {
      this.shared.turns.give()
    }
  }

  /** The run goes on server-side: failed polls are tolerated for a while (500s, resets, an early 404). */
  private failedPoll(error: unknown): RunReport | number {
    const { clock } = this.shared
    if (this.options.signal.aborted) return this.end('cancelled')
    if (error instanceof CancelledError) return this.end('timed-out')
    if (isFinal(error)) return this.finish(this.end('unreadable', `could not be read: ${(error as Error).message}`))
    this.failedPolls++
    if (error instanceof ApiError && error.status === 404) this.notFoundPolls++
    this.lastError = error as Error
    this.failingSince ??= clock.now()
    const failingMs = clock.now() - this.failingSince
    if (this.failedPolls >= UNREADABLE_AFTER_POLLS && failingMs >= UNREADABLE_AFTER_MS) {
      const note = `could not be read for ${Math.round(failingMs / 1000)}s (${this.failedPolls} failed polls in a row); last error: ${(error as Error).message}`
      return this.finish(this.end('unreadable', note))
    }
    return Math.min(this.options.pollIntervalMs, 2000 * this.failedPolls)
  }

  private warnOfUnknownStatus(report: RunReport): void {
    if (isKnownStatus(report.status) || this.warnedStatus) return
    this.warnedStatus = true
    this.options.warn?.(
      report.state === 'running'
        ? `Test run ${this.id} reports an unknown status '${report.status}'; waiting until every case is counted`
        : `Test run ${this.id} reports an unknown status '${report.status}'; every case is counted, so it is judged by its counts`
    )
  }

  private finish(report: RunReport): RunReport {
    this.options.onRunFinished?.(report)
    return report
  }
}

/** What ended a wait before its run ended. */
const ENDED_BY = { cancelled: 'the run was cancelled', 'timed-out': 'timeout was reached' }

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
