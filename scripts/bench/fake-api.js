// A stand-in for the API client (src/api/client.ts) that answers `GET …/test-runs/{id}` from run
// shapes on the virtual clock: each request takes a round trip, and the server answers as of the
// moment it arrives. It counts every poll, so the benchmark sees what the action would send.
import { finishedBy } from '../../emulator/run-shapes.js'

const RUN_PATH = /\/testing\/test-runs\/([^/]+)$/

/**
 * @param {import('./virtual-clock.js').VirtualClock} clock
 * @param {{ id: string, startAt: number, ends: number[] }[]} runs
 * @param {() => number} rttMs one request's round trip
 */
export function fakeClient(clock, runs, rttMs) {
  const byId = new Map(runs.map((run) => [run.id, { ...run, polls: [] }]))
  return {
    turns: { size: 8 },
    runs: byId,
    /** @param {string} path @param {{ signal?: AbortSignal }} [call] */
    async get(path, call = {}) {
      const match = RUN_PATH.exec(path)
      const run = match && byId.get(decodeURIComponent(match[1]))
      if (!run) throw new Error(`fake API: no run at ${path}`)
      const rtt = rttMs()
      const signal = call.signal ?? new AbortController().signal
      await clock.sleep(rtt / 2, signal)
      const arrivedAt = clock.now()
      run.polls.push(arrivedAt)
      const body = viewAt(run, arrivedAt)
      await clock.sleep(rtt / 2, signal)
      return { status: 200, body, correlationId: 'virtual' }
    }
  }
}

/** The run as the API shows it: only finished cases are listed. */
function viewAt(run, at) {
  const done = finishedBy(run.ends, at - run.startAt)
  const finished = done === run.ends.length
  return {
    id: run.id,
    status: finished ? 'completed' : 'running',
    passedCount: done,
    failedCount: 0,
    errorCount: 0,
    testCaseCount: run.ends.length,
    startedAt: new Date(run.startAt).toISOString(),
    testHistory: Array.from({ length: done }, (_, index) => ({ testCaseId: `tc-${index + 1}`, status: 'passed' }))
  }
}

/**
 * A fixed-interval poller on the same model: first poll `phaseMs` after the wait starts, then every
 * `intervalMs`, until it sees the run finished. @returns {{ polls: number, verdictAt: number }}
 * @param {{ startAt: number, ends: number[] }} run @param {number} waitStart
 */
export function fixedPoller(run, waitStart, { intervalMs, phaseMs, rttMs }) {
  const endAt = run.startAt + run.ends[run.ends.length - 1]
  let polls = 0
  for (let at = waitStart + phaseMs; ; at += intervalMs) {
    const rtt = rttMs()
    polls++
    if (at + rtt / 2 >= endAt) return { polls, verdictAt: at + rtt }
  }
}

/** Whether this API can replay a real wait: it has no rate limit, so a rate-limited wait has no like here. @param {{ rateLimit?: number }} scenario */
export const replayable = (scenario) => !scenario.rateLimit
