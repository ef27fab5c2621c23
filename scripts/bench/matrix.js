// The schedule judged on a matrix of run shapes: the action's own poller (compiled from src/gate),
// driven by a virtual clock against runs shaped by emulator/run-shapes.js, side by side with fixed
// pollers every 1 s, 2 s and 5 s on the very same runs and round trips.
import { caseEnds, seededRandom } from '../../emulator/run-shapes.js'
import { fewestPolls, isBlind } from './bounds.js'
import { fakeClient, fixedPoller } from './fake-api.js'
import { VirtualClock } from './virtual-clock.js'

export const FIXED_MS = [1000, 2000, 5000]
/** Where the virtual clock starts: any instant will do, as long as its ISO form parses back. */
const EPOCH = Date.UTC(2026, 0, 1)
/** The runs were created by the deployment call, a moment before the wait starts. */
export const CREATED_BEFORE_MS = 200
/** A request's round trip to the real API, from a runner: drawn from this range, seeded. */
export const ROUND_TRIP_MS = [30, 150]

/**
 * One wait on the given runs, by the action's poller and by each fixed poller.
 * @param {{ waitForTestRuns: Function }} poller the compiled src/gate/poller.js
 * @param {{ shape: import('../../emulator/run-shapes.js').Shape, cases: number, durationMs: number, ends?: number[] }[]} specs
 * @param {{ seed: number, pollIntervalMs: number, phase: number, createdBeforeMs?: number, roundTripMs?: [number, number] }} options
 *   phase in [0, 1): where the fixed pollers' grids start; createdBeforeMs: how long before the wait the runs were created;
 *   roundTripMs: the range each request's round trip is drawn from
 */
export async function oneWait(poller, specs, { seed, pollIntervalMs, phase, createdBeforeMs = CREATED_BEFORE_MS, roundTripMs = ROUND_TRIP_MS }) {
  const clock = new VirtualClock(EPOCH)
  const random = seededRandom(seed)
  const [fastest, slowest] = roundTripMs
  const rtt = () => fastest + (slowest - fastest) * random()
  const waitStart = clock.now()
  const runs = specs.map((spec, index) => ({
    id: `run_${index}`,
    startAt: waitStart - createdBeforeMs,
    // A spec may give its case ends outright (the emulator's evenly spaced cases, for the check against it).
    ends: spec.ends ?? caseEnds(spec.shape, { cases: spec.cases, durationMs: spec.durationMs, seed: seed * 31 + index })
  }))
  const client = fakeClient(clock, runs, rtt)
  const seenAt = new Map()
  const overdue = new Map()
  const controller = new AbortController()
  const reports = await clock.run(poller.waitForTestRuns(runs.map((run) => run.id), {
    client,
    agentId: 'agent-bench',
    pollIntervalMs,
    deadline: waitStart + 60 * 60_000,
    signal: controller.signal,
    clock,
    random,
    onRunFinished: (report) => seenAt.set(report.id, clock.now()),
    onSchedule: (id, next) => {
      // The first moment the run was past the latest end the schedule's own prediction allowed.
      if (!overdue.has(id) && next.latestEndAt !== undefined && next.latestEndAt < clock.now()) {
        overdue.set(id, { at: clock.now(), latestEndAt: next.latestEndAt })
      }
    }
  }))
  const verdictAt = clock.now()
  const perRun = runs.map((run) => {
    const endAt = run.startAt + run.ends[run.ends.length - 1]
    const polls = client.runs.get(run.id).polls
    const late = overdue.get(run.id)
    return {
      endAt,
      durationMs: run.ends[run.ends.length - 1],
      polls: polls.length,
      // What no schedule could do better on this run (scripts/bench/bounds.js).
      fewestPolls: fewestPolls(run.ends[run.ends.length - 1]),
      blind: isBlind(run.ends),
      lagMs: seenAt.get(run.id) - endAt,
      overdue: late && {
        predictedMs: late.latestEndAt - run.startAt,
        overrunMs: endAt - late.latestEndAt,
        pollsSince: polls.filter((at) => at >= late.latestEndAt).length,
        spanMs: seenAt.get(run.id) - late.latestEndAt
      }
    }
  })
  const lastEnd = Math.max(...perRun.map((run) => run.endAt))
  const fixed = Object.fromEntries(FIXED_MS.map((intervalMs) => {
    const each = runs.map((run) => fixedPoller(run, waitStart, { intervalMs, phaseMs: phase * intervalMs, rttMs: rtt }))
    return [intervalMs, { polls: each.reduce((sum, one) => sum + one.polls, 0), lagMs: Math.max(...each.map((one) => one.verdictAt)) - lastEnd }]
  }))
  const passed = reports.every((report) => report.state === 'passed')
  const sum = (key) => perRun.reduce((total, run) => total + run[key], 0)
  return { polls: sum('polls'), fewestPolls: sum('fewestPolls'), blind: perRun.every((run) => run.blind), lagMs: verdictAt - lastEnd, passed, perRun, fixed }
}

/** A small stable hash of a cell's name, so every cell has its own seeds. @param {string} text */
const hashOf = (text) => [...text].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0, 7)

/**
 * Every repetition of one cell (a wait on `specs`).
 * @param {any} poller @param {string} name @param {any[]} specs @param {{ reps: number, pollIntervalMs: number }} options
 */
export async function runCell(poller, name, specs, { reps, pollIntervalMs }) {
  const results = []
  for (let rep = 0; rep < reps; rep++) {
    // The fixed pollers' grids start at evenly spread phases, so their lag covers its whole range.
    results.push(await oneWait(poller, specs, { seed: hashOf(name) + rep * 7919, pollIntervalMs, phase: (rep + 0.5) / reps }))
  }
  return results
}

/** The single-run matrix: shape × case count × length. */
export function singleRunCells({ shapes, counts, lengthsMs }) {
  const cells = []
  for (const shape of shapes) {
    for (const cases of counts) {
      // With one case every shape is the same run.
      if (cases === 1 && shape !== 'even') continue
      for (const durationMs of lengthsMs) cells.push({ name: `${shape} ${cases}×${durationMs}`, shape, cases, durationMs, specs: [{ shape, cases, durationMs }] })
    }
  }
  return cells
}

/** Several runs of different shapes in one wait. */
export function multiRunCells() {
  const spread = (n, from, to) => Array.from({ length: n }, (_, index) => Math.round(from + ((to - from) * index) / Math.max(1, n - 1)))
  const shapes = ['even', 'front-loaded', 'back-loaded', 'random', 'bursts', 'slow-last', 'stall', 'jumps']
  return [
    { name: '20 runs of 1–7 s, 4 cases each (the issue\'s case)', specs: spread(20, 1000, 7000).map((durationMs) => ({ shape: 'even', cases: 4, durationMs })) },
    { name: '8 runs, one of each shape, 12 cases, 30 s–4 min', specs: shapes.map((shape, index) => ({ shape, cases: 12, durationMs: spread(8, 30_000, 240_000)[index] })) },
    { name: '40 runs of mixed shapes and sizes, 10 s–10 min', specs: spread(40, 10_000, 600_000).map((durationMs, index) => ({ shape: shapes[index % shapes.length], cases: [4, 12, 30, 100][index % 4], durationMs })) }
  ]
}
