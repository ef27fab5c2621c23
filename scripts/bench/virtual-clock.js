// A virtual clock for the action's poller (src/clock.ts's Clock): sleeps are timers on a queue, and
// time jumps to the next one once every promise in flight has settled. Hours of polling take
// milliseconds, and the answers are the same on any machine.
import { setImmediate as macrotask } from 'node:timers/promises'

class CancelledError extends Error {}

export class VirtualClock {
  /** @param {number} [start] */
  constructor(start = 0) {
    this.time = start
    /** @type {{ at: number, seq: number, fire: () => void }[]} */
    this.timers = []
    this.seq = 0
  }

  now() {
    return this.time
  }

  /** Calls fire at time `at` (kept in order of time, then of scheduling). */
  at(at, fire) {
    const timer = { at: Math.max(at, this.time), seq: this.seq++, fire }
    let index = this.timers.length
    while (index > 0 && (this.timers[index - 1].at > timer.at || (this.timers[index - 1].at === timer.at && this.timers[index - 1].seq > timer.seq))) index--
    this.timers.splice(index, 0, timer)
    return timer
  }

  cancel(timer) {
    const index = this.timers.indexOf(timer)
    if (index >= 0) this.timers.splice(index, 1)
  }

  /** @param {number} ms @param {AbortSignal} signal */
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError())
      const onAbort = () => {
        this.cancel(timer)
        reject(new CancelledError())
      }
      const timer = this.at(this.time + Math.max(0, ms), () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      })
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** @param {number} ms */
  timeout(ms) {
    const controller = new AbortController()
    this.deadlineTimer = this.at(this.time + ms, () => controller.abort(new Error('virtual timeout')))
    return controller.signal
  }

  /**
   * Runs the clock until `promise` settles: drain the microtasks (a macrotask turn), then fire the next timer.
   * @template T @param {Promise<T>} promise @returns {Promise<T>}
   */
  async run(promise) {
    let settled = false
    const watched = promise.finally(() => (settled = true))
    for (;;) {
      await macrotask()
      if (settled) break
      // Only the deadline's own timer left: nothing else would ever run.
      const timer = this.timers.shift()
      if (!timer) throw new Error('virtual clock: nothing left to run, yet the wait has not ended')
      this.time = timer.at
      timer.fire()
    }
    if (this.deadlineTimer) this.cancel(this.deadlineTimer)
    return watched
  }
}
