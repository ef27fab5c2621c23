/**
 * When to poll a run next. Runs report cases as they finish; from that progress the end is
 * predicted, so polls are rare while a run is far from done and close together near its end.
 * Where nothing can be predicted, or the prediction has failed, the wait between polls grows with
 * the time the run has taken, so the verdict comes within a tenth of that time.
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
  /** Polls in a row whose count agreed with the pace predicted before them. */
  agreeing: number
  /** The predicted end the last poll left, to check the next count against. */
  predictedEnd?: { at: number; errorMs: number }
}

export interface ScheduleLimits {
  pollIntervalMs: number
  /** The longest single wait. */
  maxDelayMs: number
}

/** The interval near a predicted end: short enough that a verdict follows the last case within ~2 s. */
export function closeIntervalMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, 1500)
}

/** The shortest wait where nothing predicts the end: no denser than a fixed 2 s poller. */
export function blindIntervalMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, 2000)
}

/** The first poll: a run is rarely done sooner, and one poll saved is half a short run's polls. */
export function firstPollDelay(limits: ScheduleLimits): number {
  return closeIntervalMs(limits.pollIntervalMs)
}

// Waits as a share of the time the run has taken so far: the verdict is then at most this share late.
const BLIND_SHARE = 0.1
/** …a prediction not yet borne out by a later count allows a little more… */
const UNTRUSTED_SHARE = 0.25
/** …and once the pace has held for a few polls in a row, longer waits, still bounded. */
const TRUSTED_SHARE = 0.7
const TRUST_AFTER = 1
/** The share of the predicted remaining time to sleep before looking again. */
const APPROACH_SHARE = 0.6
/** Overdue: after this floor, polls never come more often than a fixed 5 s poller's. */
const OVERDUE_FLOOR_MS = 5000

/** When the run is predicted to end, with how many ms either side, from the pace of its recent cases. */
export function predictEnd(progress: Progress): { at: number; errorMs: number } | undefined {
  const { done, total, seen, startedAt } = progress
  const latest = seen[seen.length - 1]
  if (done === 0 || total <= 1 || !latest || done >= total) return undefined
  // At the poll that first saw a count the next case had not finished yet: at an even pace, the
  // counted case then finished less than one case's time before it, however long the wait before.
  const roughPerCase = (latest.by - startedAt) / done
  const point = (at: CaseSeen | undefined): { done: number; at: number; halfWidth: number } => {
    if (!at) return { done: 0, at: startedAt, halfWidth: 0 }
    const after = Math.min(at.by, Math.max(startedAt, at.after, at.by - roughPerCase))
    return { done: at.done, at: (after + at.by) / 2, halfWidth: (at.by - after) / 2 }
  }
  const last = point(latest)
  // The pace over the latest half of the finished cases, so a run that changes pace is followed; it
  // is read between the moments cases finished, never between two polls, so cases that one poll saw
  // finish together count as the time they took together.
  let from = point(undefined)
  for (const each of seen) {
    if (each.done > done / 2) break
    from = point(each)
  }
  const start = point(undefined)
  const step = point(seen[seen.length - 2])
  const fromPoint = (base: typeof start): { at: number; errorMs: number } => {
    const perCase = Math.max(1, (last.at - base.at) / (done - base.done))
    const ahead = (total - done) / (done - base.done)
    return { at: last.at + perCase * (total - done), errorMs: last.halfWidth + (last.halfWidth + base.halfWidth) * ahead }
  }
  const overall = fromPoint(start)
  const recent = fromPoint(from)
  // A speed-up over at least three cases since the step before counts at once: a run that ends in a
  // rush must not be slept through.
  if (done - step.done >= 3 && step.done > from.done) {
    const rush = fromPoint(step)
    if (rush.at + rush.errorMs < recent.at - recent.errorMs) return rush
  }
  // The whole run's pace is the surer one, as long as the recent pace does not tell it wrong.
  return Math.abs(recent.at - overall.at) <= recent.errorMs + overall.errorMs ? overall : recent
}

export function nextPollDelay(progress: Progress, limits: ScheduleLimits): number {
  const close = closeIntervalMs(limits.pollIntervalMs)
  const blind = blindIntervalMs(limits.pollIntervalMs)
  const elapsed = Math.max(0, progress.now - progress.startedAt)
  const clamp = (ms: number, floor: number): number => Math.round(Math.min(limits.maxDelayMs, Math.max(floor, ms)))
  const end = predictEnd(progress)
  if (!end) {
    // Nothing to learn from yet. With several cases none done, an even pace would end the run past
    // `total` times the time taken so far: grow faster, up to doubling, but never past the blind share
    // for a single case, which can end at any moment.
    const share = progress.total > 1 && progress.done === 0 ? Math.min(1, 0.5 * (progress.total - 1) * BLIND_SHARE) : BLIND_SHARE
    return clamp(share * elapsed, blind)
  }
  const remaining = end.at - progress.now
  if (remaining <= -end.errorMs) {
    // Overdue past the prediction's own error (a slow last case, a stall): its end can no longer be
    // foreseen. Poll less and less often, by a tenth of the overrun, and no denser than every 5 s
    // once the run has taken long enough for that to stay within a tenth of its length.
    const overrun = -remaining
    return clamp(0.1 * overrun, Math.min(OVERDUE_FLOOR_MS, Math.max(blind, BLIND_SHARE * elapsed)))
  }
  const share = progress.agreeing >= TRUST_AFTER ? TRUSTED_SHARE : UNTRUSTED_SHARE
  const cap = Math.max(blind, share * elapsed)
  const earliest = remaining - end.errorMs
  // Look again before the earliest end the prediction allows, and no later than the cap.
  if (earliest > close) return clamp(Math.min(cap, APPROACH_SHARE * earliest), close)
  // The end may come at any moment: closely where the prediction is sure, else a few times across
  // its error, and within the blind share.
  return clamp(Math.min(cap, BLIND_SHARE * elapsed, end.errorMs / 4), close)
}

/** The progress after one more poll of a still-running run. */
export function progressAfter(
  previous: Progress | undefined,
  seen: { startedAt?: number; done: number; total: number },
  now: number,
  firstPollAt: number
): Progress {
  // Server and runner clocks differ: never let the server's start lie in our future.
  const startedAt = seen.startedAt !== undefined && Number.isFinite(seen.startedAt) ? Math.min(seen.startedAt, firstPollAt) : firstPollAt
  const total = Math.max(seen.total, seen.done)
  const previousDone = previous?.done ?? 0
  const done = Math.max(seen.done, previousDone)
  const history = previous?.seen ?? []
  const next: Progress = { now, startedAt, done, total, seen: history, agreeing: previous?.agreeing ?? 0 }
  if (done > previousDone) next.seen = [...history, { done, after: previous?.now ?? startedAt, by: now }]
  // Did the count land where the last prediction, give or take its error, said it would? Then its
  // pace may be trusted with longer waits.
  const before = previous?.predictedEnd
  if (previous && before && before.at - before.errorMs > previous.now) {
    const countAt = (endAt: number): number =>
      previous.done + (total - previous.done) * Math.min(1, (now - previous.now) / Math.max(1, endAt - previous.now))
    const agrees = done >= countAt(before.at + before.errorMs) - 1 && done <= countAt(before.at - before.errorMs) + 1
    next.agreeing = agrees ? next.agreeing + 1 : 0
  } else next.agreeing = 0
  next.predictedEnd = predictEnd(next)
  return next
}
