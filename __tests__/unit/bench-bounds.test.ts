import { describe, it, expect } from '@jest/globals'
import { seededRandom } from '../../emulator/run-shapes.js'
import { fewestPolls, lagAllowance, overrunFeasible } from '../../scripts/bench/bounds.js'

// The benchmark marks a target "cannot be met" from these bounds: they must hold for every schedule.

describe('the fewest polls for a run', () => {
  it('counts polls 2 s apart up to 20 s, then a tenth of the age apart, to the one that sees the end', () => {
    expect(fewestPolls(2000)).toBe(1)
    expect(fewestPolls(20_000)).toBe(10)
    expect(fewestPolls(60_000)).toBe(22)
    expect(fewestPolls(600_000)).toBe(46)
  })

  it('is never beaten by a schedule that keeps the lag within the allowance whenever the cases left finish', () => {
    const random = seededRandom(13)
    for (let trial = 0; trial < 2000; trial++) {
      const endMs = 1000 + random() * 1_200_000
      // Any such schedule: each poll within the allowance of the one before (the first within 2 s).
      let at = random() * lagAllowance(0)
      let polls = 1
      while (at < endMs) {
        at += (0.2 + 0.8 * random()) * lagAllowance(at)
        polls++
      }
      expect(polls).toBeGreaterThanOrEqual(fewestPolls(endMs))
    }
  })

  it('is met by the latest such polls', () => {
    // Where the polls come at the very edge of the allowance, the count is the bound's.
    for (const endMs of [5000, 60_000, 600_000]) {
      let at = lagAllowance(0)
      let polls = 1
      while (at < endMs) {
        at += lagAllowance(at)
        polls++
      }
      expect(polls).toBe(fewestPolls(endMs))
    }
  })
})

describe('whether an overrun can be polled for', () => {
  it('can be on a long run, whose lag allowance is wide', () => {
    for (const overrunMs of [1000, 30_000, 120_000, 600_000]) expect(overrunFeasible(600_000, overrunMs)).toBe(true)
  })

  it('cannot be on a short run overrunning by tens of seconds: polls 2 s apart outrun a 5 s poller', () => {
    expect(overrunFeasible(10_000, 30_000)).toBe(false)
    expect(overrunFeasible(60_000, 60_000)).toBe(false)
  })

  it('agrees with a search over schedules where it says no', () => {
    // For each short case the bound calls infeasible, random schedules that keep every lag target
    // must all spend more polls than a fixed 5 s poller by the poll that sees the end.
    const random = seededRandom(29)
    for (const [predictedMs, overrunMs] of [[10_000, 30_000], [30_000, 40_000], [60_000, 60_000]]) {
      expect(overrunFeasible(predictedMs, overrunMs)).toBe(false)
      for (let trial = 0; trial < 500; trial++) {
        let at = 0
        let polls = 0
        while (at < overrunMs) {
          const limit = Math.min(lagAllowance(predictedMs + at), 1.1 * Math.max(at, 0.1 * predictedMs) - at)
          at += (0.3 + 0.7 * random()) * limit
          polls++
        }
        expect(polls).toBeGreaterThan(Math.floor(at / 5000) + 1)
      }
    }
  })
})
