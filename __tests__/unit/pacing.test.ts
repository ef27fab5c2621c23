import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { Pacing } from '../../src/api/pacing.js'

// The client's shared pause after a 429, on fake timers: how long the other requests wait.
beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  jest.useRealTimers()
})

/** Whether a request's turn has come after `ms` of fake time. */
async function turnCameWithin(pacing: Pacing, ms: number): Promise<boolean> {
  let came = false
  void pacing.turn(new AbortController().signal).then(() => (came = true))
  await jest.advanceTimersByTimeAsync(ms)
  return came
}

describe('Pacing', () => {
  it('holds every request for the Retry-After a 429 asked for', async () => {
    const pacing = new Pacing()
    pacing.throttled(3000, 300_000)
    expect(await turnCameWithin(new Pacing(), 0)).toBe(true)
    expect(await turnCameWithin(pacing, 2900)).toBe(false)
    await jest.advanceTimersByTimeAsync(200)
  })

  it('holds them no longer than the longest wait a request would sit out itself', async () => {
    const pacing = new Pacing()
    // An hour asked for: the request told so gives up, and the others wait five minutes, not an hour.
    pacing.throttled(3_600_000, 300_000)
    expect(await turnCameWithin(pacing, 299_000)).toBe(false)
    const later = new Pacing()
    later.throttled(3_600_000, 300_000)
    expect(await turnCameWithin(later, 301_000)).toBe(true)
  })
})
