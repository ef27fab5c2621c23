// What the server sees of its clients' traffic: the rate limit, the requests open at once, the open
// sockets and the injected delays still pending. Kept together because reset() and close() must reach them all.
import { RateLimiter } from './faults.js'

export class Traffic {
  #rateLimit
  /** @type {RateLimiter | undefined} */
  #limiter
  #throttled = 0
  #inFlight = 0
  #mostInFlight = 0
  /** @type {Set<import('node:net').Socket>} */
  #sockets = new Set()
  /** @type {Set<NodeJS.Timeout>} */
  #delayTimers = new Set()

  /** @param {{ perSecond: number }} [rateLimit] none: no limit */
  constructor(rateLimit) {
    this.#rateLimit = rateLimit
    this.#limiter = this.#newLimiter()
  }

  /** Requests answered 429 by the rate limit. */
  get throttled() {
    return this.#throttled
  }

  /** The most requests that were open at the same moment: a client's concurrency, seen from the server. */
  get mostInFlight() {
    return this.#mostInFlight
  }

  /** Counts the request against the rate limit; false when it must be answered 429. */
  admit() {
    if (this.#limiter !== undefined && !this.#limiter.allow(Date.now())) {
      this.#throttled += 1
      return false
    }
    return true
  }

  /** Counts a request as open until its response closes. @param {import('node:http').ServerResponse} response */
  opened(response) {
    this.#inFlight += 1
    this.#mostInFlight = Math.max(this.#mostInFlight, this.#inFlight)
    response.on('close', () => (this.#inFlight -= 1))
  }

  /** Tracks a socket so that close() can destroy it, hung or not. @param {import('node:net').Socket} socket */
  connected(socket) {
    this.#sockets.add(socket)
    socket.on('close', () => this.#sockets.delete(socket))
  }

  /** An injected delay; close() cancels it, and the request it holds is never answered. @param {number} ms */
  sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#delayTimers.delete(timer)
        resolve(undefined)
      }, ms)
      this.#delayTimers.add(timer)
    })
  }

  /** A fresh rate-limit window and counts; requests open now still count as in flight. */
  reset() {
    this.#limiter = this.#newLimiter()
    this.#throttled = 0
    this.#mostInFlight = this.#inFlight
  }

  /** Stops the server and destroys every open socket. @param {import('node:http').Server} server @returns {Promise<void>} */
  close(server) {
    for (const timer of this.#delayTimers) clearTimeout(timer)
    this.#delayTimers.clear()
    return new Promise((resolve) => {
      server.close(() => resolve())
      for (const socket of this.#sockets) socket.destroy()
    })
  }

  #newLimiter() {
    return this.#rateLimit ? new RateLimiter(this.#rateLimit.perSecond) : undefined
  }
}
