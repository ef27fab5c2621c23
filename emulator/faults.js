// Fault injection and rate limiting: the ways a real API misbehaves, on demand, for reliability tests.

/**
 * @typedef {{ method?: string, path?: RegExp | string, times?: number }} FaultMatch
 * @typedef {FaultMatch & (
 *   { kind: 'status', status: number, errorCode?: string, retryAfter?: string } |
 *   { kind: 'act-then-status', status: number, errorCode?: string, retryAfter?: string } |
 *   { kind: 'status-then-act', status: number, afterMs: number } |
 *   { kind: 'drop' } | { kind: 'act-then-drop' } |
 *   { kind: 'hang' } | { kind: 'act-then-hang' } |
 *   { kind: 'redirect', location: string, status?: number } |
 *   { kind: 'body', body: string, status?: number, contentType?: string } |
 *   { kind: 'act-then-body', body: string, status?: number, contentType?: string } |
 *   { kind: 'delay', ms: number }
 * )} Fault
 */

const KINDS = ['status', 'act-then-status', 'status-then-act', 'drop', 'act-then-drop', 'hang', 'act-then-hang', 'redirect', 'body', 'act-then-body', 'delay']

/** Faults wait in the order injected; the first that matches a request fires and uses up one of its times. */
export class FaultQueue {
  /** @type {{ fault: Fault, pathPattern: RegExp | undefined, remaining: number }[]} */
  #pending = []

  /** @param {Fault} fault */
  add(fault) {
    if (!KINDS.includes(fault.kind)) throw new Error(`unknown fault kind ${fault.kind}`)
    if (['status', 'act-then-status', 'status-then-act'].includes(fault.kind) && !Number.isInteger(fault.status)) {
      throw new Error(`a ${fault.kind} fault needs a status`)
    }
    const pathPattern = typeof fault.path === 'string' ? new RegExp(fault.path) : fault.path
    this.#pending.push({ fault, pathPattern, remaining: fault.times ?? 1 })
  }

  clear() {
    this.#pending = []
  }

  /**
   * The fault to apply to this request, if any.
   * @param {string} method @param {string} path without the query
   * @returns {Fault | undefined}
   */
  take(method, path) {
    const index = this.#pending.findIndex(({ fault, pathPattern }) => {
      if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false
      if (pathPattern === undefined) return true
      pathPattern.lastIndex = 0 // a /g or /y pattern would otherwise resume where its last test ended
      return pathPattern.test(path)
    })
    if (index === -1) return undefined
    const entry = this.#pending[index]
    entry.remaining -= 1
    if (entry.remaining <= 0) this.#pending.splice(index, 1)
    return entry.fault
  }
}

/** Allows `perSecond` requests per fixed one-second window. */
export class RateLimiter {
  #perSecond
  #windowStartMs = -Infinity
  #countInWindow = 0

  /** @param {number} perSecond */
  constructor(perSecond) {
    if (!(perSecond > 0)) throw new Error('rateLimit.perSecond must be a positive number')
    this.#perSecond = perSecond
  }

  /** Counts the request; false when it goes over the limit. @param {number} nowMs */
  allow(nowMs) {
    if (nowMs - this.#windowStartMs >= 1000) {
      this.#windowStartMs = nowMs
      this.#countInWindow = 0
    }
    this.#countInWindow += 1
    return this.#countInWindow <= this.#perSecond
  }
}
