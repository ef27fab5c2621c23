import { sleep } from '../time/sleep.js'

/**
 * The client's pace, learned from the server's 429s: a Retry-After pause for every request, then a
 * spacing between request starts below the rate that tripped the limit, eased off once it stops.
 */
export class Pacing {
  private pausedUntil = 0
  /** The spacing between request starts that the server accepts. */
  private minGapMs = 0
  private nextSlotAt = 0
  private lastThrottledAt = 0
  private readonly recentStarts: number[] = []

  /** Waits for this request's turn: after any Retry-After pause, and spaced as the rate limit taught. */
  async turn(signal: AbortSignal): Promise<void> {
    const now = Date.now()
    const slot = Math.max(now, this.pausedUntil, this.nextSlotAt)
    this.nextSlotAt = slot + this.minGapMs
    if (slot > now) await sleep(slot - now, signal)
    const started = Date.now()
    this.recentStarts.push(started)
    while (this.recentStarts[0] < started - 1000) this.recentStarts.shift()
    // Speed up again, gently, once the server has stopped throttling for a while.
    if (this.minGapMs > 0 && started - this.lastThrottledAt > 5000) this.minGapMs = this.minGapMs < 1 ? 0 : this.minGapMs * 0.95
  }

  /**
   * A 429 slows the whole client down, not only the request: a pause, then a pace below the one that
   * tripped it. The pause is at most `maxPauseMs`: a call told to wait longer gives up and says so,
   * and the others should learn the same from their own answers rather than stall unseen.
   */
  throttled(retryAfterMs: number | undefined, maxPauseMs: number): void {
    const now = Date.now()
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(retryAfterMs ?? 1000, maxPauseMs))
    // The other answers to the same burst say nothing new: learn once per second.
    if (now - this.lastThrottledAt < 1000) return
    const accepted = Math.max(1, this.recentStarts.filter((at) => at > now - 1000).length * 0.9)
    this.minGapMs = Math.min(1000, Math.max(this.minGapMs * 1.5, 1000 / accepted))
    this.lastThrottledAt = now
  }
}
