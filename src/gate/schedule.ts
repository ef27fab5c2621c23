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
  if (remaining <= 0) return close
  return Math.round(Math.min(limits.maxDelayMs, Math.max(close, remaining / 2)))
}
