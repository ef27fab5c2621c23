/**
 * When to poll a run next. However a run has gone so far, the cases it has left may all finish at
 * any moment, so no wait is longer than a tenth of the time the run has taken: its verdict is never
 * later than that. Within that ceiling, runs report cases as they finish, and from that progress a
 * window is predicted for the end: polls are rare on the way to it, close together across it, and
 * thin out again, no denser than a 5 s poller, once the run has outlived it.
 */

/** When the done-th case finished, as bracketed by two polls: after `after`, by `by`. */
export interface CaseSeen {
  done: number
  after: number
  by: number
}

export interface Progress {
  now: number
  /** When the run started (the server's start on the runner's clock, else when the wait for it began). */
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
  /** When the run is predicted to end, read once from this progress (none while nothing can tell). */
  end: EndWindow | undefined
  /** Once the run outlived its predicted window: when the window closed, and the polls since. */
  overdue?: { since: number; polls: number }
}

export interface ScheduleLimits {
  pollIntervalMs: number
  /** The longest single wait. */
  maxDelayMs: number
}

/** When a run is predicted to end: between `earliest` and `latest`. */
export interface EndWindow {
  earliest: number
  latest: number
}

/** One pace's foretelling of the end: most likely `at`, and within `errorMs` either side. */
interface Estimate {
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
/** How far towards the predicted window to sleep in one wait: the pace is read again on the way. */
const APPROACH_SHARE = 0.6
/** How many spreads of the cases' times the window reaches either side of the predicted end. */
const SPREADS = 1.5
/** The spread of the cases' times as a share of their pace, before any stretch has measured it... */
const PRIOR_SPREAD = 0.2
/** ...and how many measured stretches that prior counts for. */
const PRIOR_WEIGHT = 0.5
/**
 * Polls across a wide predicted window (a narrow one is polled every 2 s): what is left of the
 * window's budget (windowBudget) by its end, and never fewer than ten.
 */
const WINDOW_POLLS = 10
/** The longest round trip the waits are shortened by. */
const MAX_ROUND_TRIP_MS = 500
/** How much slower than the slowest recent round trip the next one may be, and a verdict still on time. */
const TRIP_SLACK_MS = 100
/** Overdue: once a run is long enough, polls never come more often than a fixed 5 s poller's. */
const OVERDUE_FLOOR_MS = 5000

/** When a count was reached, estimated from the polls that bracket it, give or take halfWidth. */
interface FinishPoint {
  done: number
  at: number
  halfWidth: number
}

/** The run's start, then every count it reached, each at its estimated moment. */
function finishPoints(progress: Omit<Progress, 'end' | 'overdue'>): FinishPoint[] {
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

/** The end as the pace from `base` to the latest count foretells it. */
function endFrom(points: FinishPoint[], base: number, total: number): Estimate {
  const last = points[points.length - 1]
  const from = points[base]
  const perCase = Math.max(1, (last.at - from.at) / (last.done - from.done))
  const left = total - last.done
  // How much the cases' times vary: each stretch between counts against the pace, per case, averaged
  // over the stretches (so a stretch of cases that finished together counts as one, as it is), with
  // a prior share of the pace that fades as stretches add up. The cases left add up their spreads,
  // so the window widens with the square root of their number.
  let squares = 0
  for (let index = base + 1; index < points.length; index++) {
    const [before, after] = [points[index - 1], points[index]]
    const cases = after.done - before.done
    // A moment known only within its bracket adds that much scatter of its own: take it out.
    const noise = (before.halfWidth ** 2 + after.halfWidth ** 2) / 3
    squares += Math.max(0, (after.at - before.at - cases * perCase) ** 2 - noise) / cases
  }
  const stretches = points.length - 1 - base
  const spread = Math.sqrt((PRIOR_WEIGHT * (PRIOR_SPREAD * perCase) ** 2 + squares) / (PRIOR_WEIGHT + stretches))
  const bracket = last.halfWidth + ((last.halfWidth + from.halfWidth) * left) / (last.done - from.done)
  return { at: last.at + perCase * left, errorMs: bracket + SPREADS * spread * Math.sqrt(left) }
}

/** When the run is predicted to end, from the pace of its cases so far. */
export function predictEnd(progress: Omit<Progress, 'end' | 'overdue'>): EndWindow | undefined {
  const { done, total } = progress
  if (done === 0 || total <= 1 || !progress.seen.length || done >= total) return undefined
  const points = finishPoints(progress)
  const last = points[points.length - 1]
  const left = total - done
  // The pace over the latest half of the finished cases, so a run that changes pace is followed; it
  // is read between the moments cases finished, never between two polls, so cases that one poll saw
  // finish together count as the time they took together.
  let half = 0
  while (points[half + 1].done <= done / 2) half++
  // Or over the latest half of the time they took, if that is later: a run of few cases whose pace
  // changed (two quick cases, then slow ones) is followed from its latest stretch.
  const midway = (points[0].at + last.at) / 2
  while (half + 2 < points.length && points[half + 1].at <= midway) half++
  const recent = endFrom(points, half, total)
  const estimates = [recent]
  // A speed-up over at least three cases since the step before: the run may end in that rush.
  const step = points.length - 2
  if (done - points[step].done >= 3 && step > half) estimates.push(endFrom(points, step, total))
  // Cases that finish in batches (side by side) end a batch at a time: the last few cases left may
  // take a whole batch's time, not their share of it.
  let batch = Number.POSITIVE_INFINITY
  for (let index = half + 1; index < points.length; index++) batch = Math.min(batch, points[index].done - points[index - 1].done)
  if (batch > 1 && left % batch !== 0) {
    const perCase = (recent.at - last.at) / left
    estimates.push({ at: last.at + Math.ceil(left / batch) * batch * perCase, errorMs: recent.errorMs })
  }
  return {
    earliest: Math.min(...estimates.map((estimate) => estimate.at - estimate.errorMs)),
    latest: Math.max(...estimates.map((estimate) => estimate.at + estimate.errorMs))
  }
}

/** How long to wait, from the answer just read, before sending the next poll of a run still going. */
export function nextPollDelay(progress: Progress, limits: ScheduleLimits): number {
  const close = closeIntervalMs(limits.pollIntervalMs)
  const blind = blindIntervalMs(limits.pollIntervalMs)
  const { now, roundTripMs } = progress
  // The waits are until the next answer: it is sent a round trip before, and a second round trip's
  // margin (and a little more) covers the next one being slower.
  const margin = 2 * roundTripMs + TRIP_SLACK_MS
  // The longest wait: the cases left may all finish at any moment (side by side, in a batch, or a
  // long case cut short), so no wait is longer than a tenth of the time taken, nor than 2 s while
  // that is less. Nothing below may push a wait past it.
  const ceiling = Math.max(blind - 1.5 * roundTripMs, lateCeiling(progress, blind) - margin)
  // The budgets: never more polls than a poller every `blind` ms since the first, so close polls
  // near an end are paid for by the longer waits before it (the ceiling's first seconds, a round
  // trip's half closer, are made up once it allows); and once the run is overdue, never more than a
  // fixed 5 s poller's since then, even across a new window a late count brings.
  const counted = fiveSecondCount(progress)
  const budget = Math.max(
    progress.firstSentAt + blind * progress.polls - now,
    counted ? counted.since + OVERDUE_FLOOR_MS * counted.polls - now : 0
  )
  const wait = Math.min(ceiling, Math.max(budget, answerWait(progress, blind, counted) - margin))
  // However slow the answers, some quiet between one and the next; rounded up, so that no wait is
  // a fraction of a millisecond short of a budget.
  return Math.ceil(Math.min(limits.maxDelayMs, Math.max(close / 2, close - roundTripMs, wait)))
}

/**
 * The overdue polls held to a fixed 5 s poller's count, if the run's are. A window that closed in
 * the run's first 50 s is not: a tenth of its age already polls it more often than every 5 s, and
 * the count would only cost the verdict of the new window a late count brings.
 */
function fiveSecondCount({ overdue, startedAt }: Progress): Progress['overdue'] {
  return overdue && LATE_SHARE * (overdue.since - startedAt) >= OVERDUE_FLOOR_MS ? overdue : undefined
}

/** A tenth of the time the run has taken, and never under 2 s: the longest wait before margins. */
function lateCeiling(progress: Progress, blind: number): number {
  return Math.max(blind, LATE_SHARE * Math.max(0, progress.now - progress.startedAt))
}

/** How long until the next answer should come, within the ceiling. */
function answerWait(progress: Progress, blind: number, counted: Progress['overdue']): number {
  const { overdue } = progress
  // Once overdue, the verdict comes within a tenth of the overrun, as far as 5 s polls allow, even
  // where a late count has brought a new window.
  const overdueCap = overdue ? Math.max(OVERDUE_FLOOR_MS, LATE_SHARE * (progress.now - overdue.since)) : Number.POSITIVE_INFINITY
  const ceiling = Math.min(overdueCap, lateCeiling(progress, blind))
  const { end } = progress
  // Nothing to go on: the run may end at any moment, as its cases may run side by side.
  if (!end) return ceiling
  const { now, startedAt } = progress
  if (now >= end.latest) {
    // Past the window (a slow last case, a stall): the end can no longer be foreseen. Poll less and
    // less often, by a tenth of the overrun, and no denser than every 5 s once the run has taken
    // long enough for that to keep its verdict within a tenth of its length.
    return Math.min(ceiling, Math.max(LATE_SHARE * (now - end.latest), OVERDUE_FLOOR_MS))
  }
  // Where the 5 s count leaves fewer polls by the window's end than 2 s polls across it would take,
  // they are spent across its middle, where the end most likely is, not on its first seconds.
  let from = end.earliest
  if (counted) {
    const left = Math.max(0, (end.latest - counted.since) / OVERDUE_FLOOR_MS - counted.polls)
    from = Math.max(from, (end.earliest + end.latest - left * blind) / 2)
  }
  // Sleep most of the way to the window, and look again: the pace may have changed.
  const toWindow = from - now
  if (toWindow > blind) return Math.min(ceiling, Math.max(blind, APPROACH_SHARE * toWindow))
  // Inside the window the end may come at any moment: poll every 2 s, or across a wide window as
  // often as what is left of its budget allows.
  const width = end.latest - end.earliest
  const windowPolls = Math.max(WINDOW_POLLS, windowBudget(end.latest - startedAt, width, blind) - progress.polls)
  return Math.min(ceiling, Math.max(blind, width / windowPolls))
}

/**
 * How many polls a run may have had by the end of a window `widthMs` wide that closes `lengthMs`
 * after its start: half a 2 s poller's, so that close polls near the end cost no more than that.
 * Where the ceiling alone polls more than half by then (a run of up to two minutes), half is out of
 * reach whatever the window does: the ceiling's polls and 2 s polls across the window.
 */
function windowBudget(lengthMs: number, widthMs: number, blind: number): number {
  const half = lengthMs / (2 * blind)
  const ceilingOnly = ceilingPolls(lengthMs, blind)
  return ceilingOnly > half ? ceilingOnly + widthMs / blind : half
}

/** The polls the ceiling alone makes over a run's first `lengthMs`: every 2 s, then a tenth of its age apart. */
export function ceilingPolls(lengthMs: number, blind: number): number {
  const steadyFrom = blind / LATE_SHARE
  if (lengthMs <= steadyFrom) return lengthMs / blind
  return steadyFrom / blind + Math.log(lengthMs / steadyFrom) / Math.log(1 + LATE_SHARE)
}

/** The progress after one more poll of a still-running run. */
export function progressAfter(
  previous: Progress | undefined,
  seen: { startedAt?: number; done: number; total: number },
  now: number,
  waitStartedAt: number,
  roundTripMs = 0
): Progress {
  // Server and runner clocks differ: never let the server's start lie in our future.
  const startedAt = seen.startedAt !== undefined && Number.isFinite(seen.startedAt) ? Math.min(seen.startedAt, waitStartedAt) : waitStartedAt
  const total = Math.max(seen.total, seen.done)
  const previousDone = previous?.done ?? 0
  const done = Math.max(seen.done, previousDone)
  const history = previous?.seen ?? []
  const progress = {
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
  const end = predictEnd(progress)
  return { ...progress, end, overdue: overdueAfter(previous?.overdue, end, now) }
}

/** Whether the run is now past its predicted window, and since when; it stays overdue from then on. */
function overdueAfter(before: Progress['overdue'], end: EndWindow | undefined, now: number): Progress['overdue'] {
  if (before) return { since: before.since, polls: before.polls + 1 }
  return end && end.latest < now ? { since: end.latest, polls: 1 } : undefined
}
