/**
 * When to poll a run next. Runs report cases as they finish; from that progress the end is
 * predicted, so polls are rare while a run is far from done and close together near its end.
 */

export interface Progress {
  now: number
  /** When the run started (server clock, else when it was first seen). */
  startedAt: number
  done: number
  total: number
  /** The done-th case finished after this poll (the latest one that saw fewer), when there was one… */
  lastPollBefore?: number
  /** …and no later than this one, the first poll that saw it. */
  firstSeenAt: number
  /** Polls so far that saw no finished case. */
  idlePolls: number
  /** The fastest pace seen between two polls, in ms per case: a run that sped up once may again. */
  fastestMsPerCase?: number
}

export interface ScheduleLimits {
  pollIntervalMs: number
  /** The longest single wait. */
  maxDelayMs: number
}

/** The interval near the end: short enough that a verdict follows the last case within ~2 s. */
export function closeIntervalMs(pollIntervalMs: number): number {
  return Math.min(pollIntervalMs, 1500)
}

export function nextPollDelay(progress: Progress, limits: ScheduleLimits): number {
  const close = closeIntervalMs(limits.pollIntervalMs)
  const { done, total, now } = progress
  if (total <= 1) return limits.pollIntervalMs
  if (done === 0) {
    // Nothing to learn from yet: back off gently from the configured interval.
    return Math.min(limits.maxDelayMs, Math.round(limits.pollIntervalMs * 1.5 ** progress.idlePolls))
  }
  // The done-th case finished between two polls; take the middle, never before the start.
  const earliest = Math.max(progress.startedAt, progress.lastPollBefore ?? progress.firstSeenAt)
  const finishedAt = (earliest + progress.firstSeenAt) / 2
  const perCase = Math.max(1, (finishedAt - progress.startedAt) / done)
  const predictedEnd = progress.startedAt + perCase * total
  const remaining = predictedEnd - now
  if (remaining <= 0) {
    // Overdue by more than its predicted length, a run's end can no longer be foreseen (a slow last
    // case, a hang): poll less and less often, up to every 15 s, rather than closely for ever.
    const overdue = -remaining
    return overdue > predictedEnd - progress.startedAt ? Math.round(Math.max(close, Math.min(overdue / 10, 15_000, limits.maxDelayMs))) : close
  }
  // Never sleep past the earliest end the fastest pace seen allows: cases need not finish evenly.
  const earliestEnd = progress.fastestMsPerCase === undefined ? Infinity : (total - done) * progress.fastestMsPerCase
  return Math.round(Math.min(limits.maxDelayMs, Math.max(close, Math.min(remaining / 2, earliestEnd))))
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
