// SIMULATED polling on a virtual clock, for runs too long to wait on repeatedly (a 10-minute run).
//
// This is a faithful JavaScript port of the action's schedule, which is TypeScript and so cannot be
// imported here. It mirrors:
//   - src/gate/schedule.ts: closeIntervalMs, nextPollDelay, progressAfter (whole logic)
//   - src/gate/poller.ts:   the loop of waitForOneRun (first poll after a spread of at most
//                           min(pollInterval, 10 ms × runs); poll; stop when the run has finished;
//                           else `seen` from the counts, progressAfter, then nextPollDelay with
//                           maxDelayMs = max(pollInterval, 60 s); sleep)
// Not modelled: the HTTP client's retries, its 429 pause and its concurrency cap, the deadline.
// SOURCE_HASHES pins the text this port was written from; `sourceDrift()` tells the report when
// that text has changed since, so a stale port cannot pass unnoticed.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const SOURCE_HASHES = { 'src/gate/schedule.ts': '9acbe38860c8bc1b', 'src/gate/poller.ts': 'd3ff6cdbaebabc07' }

/** The parts of the sources this file mirrors, whitespace-normalised, hashed. @param {string} repo */
function sourceHashes(repo) {
  const hash = (text) => createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16)
  const between = (text, from, to) => {
    const start = text.indexOf(from)
    if (start < 0) return `missing ${from}`
    const end = to === undefined ? text.length : text.indexOf(to, start)
    return end < 0 ? `missing ${to}` : text.slice(start, end)
  }
  const schedule = readFileSync(join(repo, 'src/gate/schedule.ts'), 'utf8')
  const poller = readFileSync(join(repo, 'src/gate/poller.ts'), 'utf8')
  return {
    'src/gate/schedule.ts': hash(between(schedule, 'export function closeIntervalMs')),
    // Only the loop's lines that decide when to poll, so unrelated edits to the poller do not count.
    'src/gate/poller.ts': hash(
      [between(poller, 'export function waitForTestRuns', 'catch (error)'), between(poller, 'async function readOnce', '\n}\n')]
        .join('\n')
        .split('\n')
        .filter((line) => /spreadMs|firstDelayMs|firstPollAt|const done|startedAt:|progressAfter\(|nextPollDelay\(|await sleep\(|stateOf\(|state !== 'running'/.test(line))
        .join('\n')
    )
  }
}

// ---- port of src/gate/schedule.ts -------------------------------------------------------------

/** @param {number} pollIntervalMs */
export function closeIntervalMs(pollIntervalMs) {
  return Math.min(pollIntervalMs, 1500)
}

/**
 * @param {{ now: number, startedAt: number, done: number, total: number, lastPollBefore?: number,
 *   firstSeenAt: number, idlePolls: number, fastestMsPerCase?: number }} progress
 * @param {{ pollIntervalMs: number, maxDelayMs: number }} limits
 */
export function nextPollDelay(progress, limits) {
  const close = closeIntervalMs(limits.pollIntervalMs)
  const { done, total, now } = progress
  if (total <= 1) return limits.pollIntervalMs
  if (done === 0) {
    return Math.min(limits.maxDelayMs, Math.round(limits.pollIntervalMs * 1.5 ** progress.idlePolls))
  }
  const earliest = Math.max(progress.startedAt, progress.lastPollBefore ?? progress.firstSeenAt)
  const finishedAt = (earliest + progress.firstSeenAt) / 2
  const perCase = Math.max(1, (finishedAt - progress.startedAt) / done)
  const predictedEnd = progress.startedAt + perCase * total
  const remaining = predictedEnd - now
  if (remaining <= 0) {
    const overdue = -remaining
    return overdue > predictedEnd - progress.startedAt ? Math.round(Math.max(close, Math.min(overdue / 10, 15_000, limits.maxDelayMs))) : close
  }
  const earliestEnd = progress.fastestMsPerCase === undefined ? Infinity : (total - done) * progress.fastestMsPerCase
  return Math.round(Math.min(limits.maxDelayMs, Math.max(close, Math.min(remaining / 2, earliestEnd))))
}

/**
 * @param {any} previous
 * @param {{ startedAt?: number, done: number, total: number }} seen
 * @param {number} now @param {number} firstPollAt
 */
export function progressAfter(previous, seen, now, firstPollAt) {
  const startedAt = seen.startedAt !== undefined && Number.isFinite(seen.startedAt) ? Math.min(seen.startedAt, firstPollAt) : firstPollAt
  const done = seen.done
  const total = Math.max(seen.total, done)
  if (!previous) return { now, startedAt, done, total, firstSeenAt: now, idlePolls: done === 0 ? 1 : 0 }
  if (done > previous.done) {
    const pace = (now - previous.now) / (done - previous.done)
    const fastestMsPerCase = Math.min(previous.fastestMsPerCase ?? Infinity, pace)
    return { now, startedAt, done, total, lastPollBefore: previous.now, firstSeenAt: now, idlePolls: 0, fastestMsPerCase }
  }
  return { ...previous, now, startedAt, total, idlePolls: done === 0 ? previous.idlePolls + 1 : 0 }
}

// ---- the virtual run and the two pollers ------------------------------------------------------

/** A run started at t=0 on the virtual clock whose cases end at `caseEnds` (ms, ascending). */
function viewAt(caseEnds, now) {
  const done = caseEnds.filter((end) => end <= now).length
  return {
    status: done === caseEnds.length ? 'completed' : 'running',
    startedAt: new Date(0).toISOString(),
    passedCount: done,
    failedCount: 0,
    errorCount: 0,
    testCaseCount: caseEnds.length,
    testHistory: Array.from({ length: done }, () => ({}))
  }
}

/**
 * The action's poller on the virtual clock, for one run (so its first-poll spread is under 10 ms;
 * `firstDelayMs` stands for it).
 * @param {number[]} caseEnds
 * @param {{ pollIntervalMs: number, firstPollMs?: number, firstDelayMs?: number, rttMs?: number }} options
 */
export function simulateAdaptive(caseEnds, { pollIntervalMs, firstPollMs = 10, firstDelayMs = 5, rttMs = 2, timeoutMs = 30 * 60_000 }) {
  const finishedAt = caseEnds[caseEnds.length - 1]
  const firstPollAt = firstPollMs // taken before the spread, as in waitForOneRun
  const deadline = firstPollMs + timeoutMs
  let t = firstPollMs + firstDelayMs
  let polls = 0
  let progress
  for (;;) {
    if (t >= deadline) return { polls, verdictAt: t, latencyMs: NaN, timedOut: true }
    polls++
    const run = viewAt(caseEnds, t) // the server answers as of the request's arrival
    const now = t + rttMs
    if (run.status !== 'running') return { polls, verdictAt: now, latencyMs: now - finishedAt }
    const done = Math.max(run.testHistory.length, run.passedCount + run.failedCount + run.errorCount)
    const seen = { startedAt: run.startedAt ? Date.parse(run.startedAt) : undefined, done, total: run.testCaseCount }
    progress = progressAfter(progress, seen, now, firstPollAt)
    const delay = nextPollDelay(progress, { pollIntervalMs, maxDelayMs: Math.max(pollIntervalMs, 60_000) })
    t = now + Math.min(delay, deadline - now)
    if (polls > 100_000) throw new Error('simulation does not end')
  }
}

/**
 * The fixed-interval baseline on the virtual clock; `firstPollMs` sets where the run's end falls
 * in its 5 s grid, which alone decides how late it is.
 * @param {number[]} caseEnds @param {number} intervalMs
 */
export function simulateFixed(caseEnds, intervalMs, { firstPollMs = 10, rttMs = 2, timeoutMs = 30 * 60_000 } = {}) {
  const finishedAt = caseEnds[caseEnds.length - 1]
  let polls = 0
  for (let t = firstPollMs; ; t += intervalMs) {
    if (t >= timeoutMs) return { polls, verdictAt: t, latencyMs: NaN, timedOut: true }
    polls++
    if (t >= finishedAt) return { polls, verdictAt: t + rttMs, latencyMs: t + rttMs - finishedAt }
  }
}

/** Deterministic PRNG (mulberry32). @param {number} seed */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** Case end times from per-case durations, scaled to the run's length. @param {number[]} weights @param {number} durationMs */
function endsFromWeights(weights, durationMs) {
  const sum = weights.reduce((a, b) => a + b, 0)
  let acc = 0
  return weights.map((weight, index) => {
    acc += weight
    return index === weights.length - 1 ? durationMs : Math.round((acc / sum) * durationMs)
  })
}

/** How the cases of a run finish over its length. */
export const PATTERNS = {
  even: { label: 'even', describe: 'every case takes the same time', ends: (cases, d) => endsFromWeights(Array(cases).fill(1), d) },
  'fast-start': {
    label: 'fast start',
    describe: 'the first half of the cases finish in the first 20% of the run, the rest evenly after',
    ends: (cases, d) => {
      const half = Math.floor(cases / 2)
      return endsFromWeights([...Array(half).fill(0.2 / half), ...Array(cases - half).fill(0.8 / (cases - half))], d)
    }
  },
  'slow-start': {
    label: 'slow start',
    describe: 'the first half of the cases take 80% of the run, the rest finish in the last 20%',
    ends: (cases, d) => {
      const half = Math.floor(cases / 2)
      return endsFromWeights([...Array(half).fill(0.8 / half), ...Array(cases - half).fill(0.2 / (cases - half))], d)
    }
  },
  'slow-last': {
    label: 'slow last case',
    describe: 'the last case alone takes half the run',
    ends: (cases, d) => endsFromWeights([...Array(cases - 1).fill(0.5 / (cases - 1)), 0.5], d)
  },
  hang: {
    label: 'hangs',
    describe: 'all but the last case finish evenly over the run, the last never does: the wait ends at the default `timeout` (30m)',
    ends: (cases, d) => [...endsFromWeights(Array(cases).fill(1), d).slice(0, -1), Infinity]
  },
  random: {
    label: 'random',
    describe: 'case lengths drawn from an exponential distribution (25 fixed seeds; median, and worst in brackets)',
    seeds: 25,
    ends: (cases, d, seed) => {
      const next = random(seed)
      return endsFromWeights(Array.from({ length: cases }, () => -Math.log(1 - next())), d)
    }
  }
}

/**
 * Every simulated row: durations × poll intervals × patterns, adaptive vs the 5 s baseline.
 * @param {{ durationsMs: number[], intervalsMs: number[], cases: number, baselineMs?: number }} options
 */
export function simulateAll({ durationsMs, intervalsMs, cases, baselineMs = 5000 }) {
  const rows = []
  for (const durationMs of durationsMs) {
    for (const pollIntervalMs of intervalsMs) {
      for (const [key, pattern] of Object.entries(PATTERNS)) {
        const seeds = pattern.seeds ? Array.from({ length: pattern.seeds }, (_, index) => index + 1) : [0]
        const results = seeds.map((seed) => {
          const ends = pattern.ends(cases, durationMs, seed)
          // The baseline's lateness depends only on its grid's phase: try ten phases across the interval.
          const fixed = Array.from({ length: 10 }, (_, phase) =>
            simulateFixed(ends, baselineMs, { firstPollMs: 10 + (phase * baselineMs) / 10 }))
          return { adaptive: simulateAdaptive(ends, { pollIntervalMs }), fixed }
        })
        rows.push({ durationMs, pollIntervalMs, pattern: key, cases, results })
      }
    }
  }
  return rows
}

/** Whether the mirrored sources have changed since this port was written. @param {string} repo */
export function sourceDrift(repo) {
  try {
    const current = sourceHashes(repo)
    const changed = Object.keys(SOURCE_HASHES).filter((key) => current[key] !== SOURCE_HASHES[key])
    return { changed, current }
  } catch (error) {
    return { changed: ['unreadable'], current: {}, error: String(error) }
  }
}
