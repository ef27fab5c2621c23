import { sleep } from './sleep.js'

/**
 * Time as the poller sees it. The system clock in the action; a virtual one in the benchmark and the
 * schedule's tests, so hours of polling run in milliseconds and the figures come from this code.
 */
export interface Clock {
  now(): number
  /** Waits ms, or rejects with CancelledError as soon as the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  /** A signal that aborts after ms, and does not keep the process alive meanwhile. */
  timeout(ms: number): AbortSignal
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
  timeout: (ms) => AbortSignal.timeout(ms)
}
