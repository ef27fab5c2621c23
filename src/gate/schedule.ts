/**
 * When to poll a run next. Runs report cases as they finish; from that progress the end is
 * predicted, with a window either side, so polls are rare while a run is far from done and close
 * together across the window. Where nothing can be predicted, or the run has outlived the window,
 * the wait grows with the time taken, so the verdict comes within a tenth of it.
 */

/** When the done-th case finished, as bracketed by two polls: after `after`, by `by`. */
export interface CaseSeen {
  done: number
  after: number
  by: number
}

export interface Progress {
  now: number
  /** When the run started (server clock, else when it was first seen). */
  startedAt: number
  done: number
  total: number
  /** Every rise of the count, oldest first: the pace is read from these. */
  seen: CaseSeen[]
  /** Polls answered so far, and when the first was sent: the budget of polls is counted from it. */
  polls: number
  firstSentAt: number
  /** The longest recent round trip: a verdict comes that long after the poll that brings it is sent. */
  roundTripMs: number
}

export interface ScheduleLimits {
  pollIntervalMs: number
  /** The longest single wait. */
  maxDelayMs: number
}

/** The predicted end of a run: most likely `at`, and within `errorMs` either side. */
export interface PredictedEnd {
  at: number
  errorMs: number
}

/** The shortest gap between two polls of a run: near its end, a verdict follows within ~2 s. */
export function closeIntervalMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, 1500)
}

/** The wait where nothing predicts the end, and across the predicted window: a verdict within 2 s. */
export function blindIntervalMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, 2000)
}

/** The first poll: a run is rarely done sooner, and one poll saved is half a short run's polls. */
export function firstPollDelay(limits: ScheduleLimits): number {
  return closeIntervalMs(limits.pollIntervalMs)
}

/** Waits as a share of the time the run has taken: the verdict is then at most this share late. */
const LATE_SHARE = 0.1
/**
 * The cases left may yet finish this many times faster than the run's recent fastest stretch: a
 * back-loaded run speeds up 4× (±10%) with no warning, and its verdict must still come within 10%.
 */
const SPEEDUP = 6
/** How far towards the predicted window to sleep in one wait: the pace is read again on the way. */
const APPROACH_SHARE = 0.6
/** How many spreads of the cases' times the window reaches either side of the predicted end. */
const SPREADS = 1.5
/** The spread of the cases' times, as a share of their pace, until MEASURED_AFTER stretches measure it. */
const PRIOR_SPREAD = 0.2
const MEASURED_AFTER = 4
/**
 * Polls across a wide predicted window, at most (a narrow one is polled every 2 s): ten, or one per
 * 20 s the run has taken, so a long run's end is caught closely for a small share of its polls.
 */
const WINDOW_POLLS = 10
const WINDOW_POLL_PER_MS = 20_000
/** The longest round trip the waits are shortened by. */
const MAX_ROUND_TRIP_MS = 500
/** Overdue: once a run is long enough, polls never come more often than a fixed 5 s poller's. */
const OVERDUE_FLOOR_MS = 5000

/** When a count was reached, estimated from the polls that bracket it, give or take halfWidth. */
interface FinishPoint {
  done: number
  at: number
  halfWidth: number
}

/** The run's start, then every count it reached, each at its estimated moment. */
function finishPoints(progress: Progress): FinishPoint[] {
  const { done, seen, startedAt } = progress
  const latest = seen[seen.length - 1]
  // At the poll that first saw a count the next case had not finished yet: at an even pace, the
  // counted case then finished less than one case's time before it, however long the wait before.
  const roughPerCase = latest ? (latest.by - startedAt) / done : 0
  return [
    { done: 0, at: startedAt, halfWidth: 0 },
    ...seen.map((at) => {
      const after = Math.min(at.by, Math.max(startedAt, at.after, at.by - roughPerCase))
      return { done: at.done, at: (after + at.by) / 2, halfWidth: (at.by - after) / 2 }
    })
  ]
}

/**
 * The shortest time per case over any stretch of two cases or more (and a quarter of those
 * finished), from the count before the latest half of the run: the cases left could go faster than
 * that, but not by more than SPEEDUP times. An early rush that has since slowed down no longer counts.
 */
export function fastestPerCase(progress: Progress): number {
  const points = finishPoints(progress)
  const span = Math.max(2, Math.ceil(progress.done / 4))
  const start = Math.max(0, points.findIndex((point) => point.done >= progress.done / 2) - 1)
  let fastest = Number.POSITIVE_INFINITY
  for (let to = start + 1; to < points.length; to++) {
    let from = to - 1
    while (from > start && points[to].done - points[from].done < span) from--
    fastest = Math.min(fastest, (points[to].at - points[from].at) / (points[to].done - points[from].done))
  }
  return Number.isFinite(fastest) ? Math.max(0, fastest) : 0
}

/** The end as the pace from `base` to the latest count foretells it. */
function endFrom(points: FinishPoint[], base: number, total: number): PredictedEnd {
  const last = points[points.length - 1]
  const from = points[base]
  const perCase = Math.max(1, (last.at - from.at) / (last.done - from.done))
  const left = total - last.done
  // How much the cases' times vary: each stretch between counts against the pace, per case, and no
  // less than a prior share of the pace until a few stretches tell. The cases left add up their
  // spreads, so the window widens with the square root of their number.
  let squares = 0
  for (let index = base + 1; index < points.length; index++) {
    const [before, after] = [points[index - 1], points[index]]
    const cases = after.done - before.done
    // A moment known only within its bracket adds that much scatter of its own: take it out.
    const noise = (before.halfWidth ** 2 + after.halfWidth ** 2) / 3
    squares += Math.max(0, (after.at - before.at - cases * perCase) ** 2 - noise) / cases
  }
  const stretches = points.length - 1 - base
  const measured = Math.sqrt(squares / (last.done - from.done))
  const spread = stretches >= MEASURED_AFTER ? measured : Math.max(measured, PRIOR_SPREAD * perCase)
  const bracket = last.halfWidth + ((last.halfWidth + from.halfWidth) * left) / (last.done - from.done)
  return { at: last.at + perCase * left, errorMs: bracket + SPREADS * spread * Math.sqrt(left) }
}

/** When the run is predicted to end, from the pace of its cases so far. */
export function predictEnd(progress: Progress): PredictedEnd | undefined {
  const { done, total } = progress
  if (done === 0 || total <= 1 || !progress.seen.length || done >= total) return undefined
  const points = finishPoints(progress)
  // The pace over the latest half of the finished cases, so a run that changes pace is followed; it
  // is read between the moments cases finished, never between two polls, so cases that one poll saw
  // finish together count as the time they took together.
  let half = 0
  while (points[half + 1].done <= done / 2) half++
  const overall = endFrom(points, 0, total)
  const recent = endFrom(points, half, total)
  // A speed-up over at least three cases since the step before counts at once: a run that ends in a
  // rush must not be slept through.
  const step = points.length - 2
  if (done - points[step].done >= 3 && step > half) {
    const rush = endFrom(points, step, total)
    if (rush.at + rush.errorMs < recent.at - recent.errorMs) return rush
  }
  // The whole run's pace is the surer one, as long as the recent pace does not tell it wrong.
  return Math.abs(recent.at - overall.at) <= recent.errorMs + overall.errorMs ? overall : recent
}

export function nextPollDelay(progress: Progress, limits: ScheduleLimits): number {
  const close = closeIntervalMs(limits.pollIntervalMs)
  const blind = blindIntervalMs(limits.pollIntervalMs)
  // The waits below are until the next answer: it is sent a round trip before, and a second round
  // trip's margin covers the next one being slower.
  const margin = 2 * progress.roundTripMs
  // The budget: never more polls than a poller every `blind` ms since the first, so close polls
  // near an end are paid for by the longer waits before it.
  const budget = progress.firstSentAt + (blind - progress.roundTripMs) * progress.polls - progress.now
  const wait = answerWait(progress, limits.maxDelayMs, close, blind)
  // However slow the answers, some quiet between one and the next.
  return Math.round(Math.min(limits.maxDelayMs, Math.max(close / 2, close - progress.roundTripMs, budget, wait - margin)))
}

/** How long until the next answer should come. */
function answerWait(progress: Progress, maxDelayMs: number, close: number, blind: number): number {
  const elapsed = Math.max(0, progress.now - progress.startedAt)
  const clamp = (ms: number, floor: number): number => Math.min(maxDelayMs, Math.max(floor, ms))
  const end = predictEnd(progress)
  // Nothing to go on: the run may end at any moment, as its cases may run side by side.
  if (!end) return clamp(LATE_SHARE * elapsed, blind)
  const fromNow = end.at - progress.now
  if (fromNow <= -end.errorMs) {
    // Past the window (a slow last case, a stall): the end can no longer be foreseen. Poll less and
    // less often, by a tenth of the overrun, and no denser than every 5 s once the run has taken
    // long enough for that to keep its verdict within a tenth of its length.
    return clamp(LATE_SHARE * (-fromNow - end.errorMs), Math.min(OVERDUE_FLOOR_MS, Math.max(blind, LATE_SHARE * elapsed)))
  }
  // However sure the pace, the cases left could all finish faster than any stretch of the run so far
  // did, by up to SPEEDUP times: a wait never runs past that soonest end by more than the late share.
  const soonest = ((progress.total - progress.done) * fastestPerCase(progress)) / SPEEDUP
  const cap = Math.max(blind, soonest + LATE_SHARE * (elapsed + soonest))
  const toWindow = fromNow - end.errorMs
  // Sleep most of the way to the window, and look again: the pace may have changed.
  if (toWindow > blind) return clamp(Math.min(cap, Math.max(blind, APPROACH_SHARE * toWindow)), close)
  // Inside the window the end may come at any moment: poll so that the verdict follows within ~2 s,
  // or across a wide window some WINDOW_POLLS times, within the late share.
  const windowPolls = Math.max(WINDOW_POLLS, elapsed / WINDOW_POLL_PER_MS)
  return clamp(Math.min(cap, Math.max(blind, Math.min(LATE_SHARE * elapsed, (2 * end.errorMs) / windowPolls))), close)
}

/** The progress after one more poll of a still-running run. */
export function progressAfter(
  previous: Progress | undefined,
  seen: { startedAt?: number; done: number; total: number },
  now: number,
  firstPollAt: number,
  roundTripMs = 0
): Progress {
  // Server and runner clocks differ: never let the server's start lie in our future.
  const startedAt = seen.startedAt !== undefined && Number.isFinite(seen.startedAt) ? Math.min(seen.startedAt, firstPollAt) : firstPollAt
  const total = Math.max(seen.total, seen.done)
  const previousDone = previous?.done ?? 0
  const done = Math.max(seen.done, previousDone)
  const history = previous?.seen ?? []
  return {
    now,
    startedAt,
    done,
    total,
    seen: done > previousDone ? [...history, { done, after: previous?.now ?? startedAt, by: now }] : history,
    polls: (previous?.polls ?? 0) + 1,
    firstSentAt: previous?.firstSentAt ?? now - roundTripMs,
    // The longest recent round trip, forgotten slowly: one slow answer should not shorten every wait,
    // and one slower than half a second is the API's pace (a 429's wait), not a trip to plan around.
    roundTripMs: Math.min(MAX_ROUND_TRIP_MS, Math.max(roundTripMs, 0.8 * (previous?.roundTripMs ?? 0)))
  }
}
