import { describe, it, expect } from '@jest/globals'
import { closeIntervalMs, nextPollDelay, Progress, progressAfter, ScheduleLimits } from '../../src/gate/schedule.js'

const LIMITS: ScheduleLimits = { pollIntervalMs: 1000, maxDelayMs: 60_000 }

function progress(patch: Partial<Progress>): Progress {
  return { now: 0, startedAt: 0, done: 0, total: 10, firstSeenAt: 0, idlePolls: 1, ...patch }
}

describe('closeIntervalMs', () => {
  it.each([
    [500, 500],
    [1000, 1000],
    [1500, 1500],
    [5000, 1500],
    [60_000, 1500]
  ])('poll interval %d -> %d', (interval, expected) => {
    expect(closeIntervalMs(interval)).toBe(expected)
  })
})

describe('nextPollDelay', () => {
  const cases: [string, Partial<Progress>, ScheduleLimits, number][] = [
    // No progress: grows from the poll interval by 1.5 per idle poll, capped.
    ['first idle poll', { idlePolls: 1 }, LIMITS, 1500],
    ['second idle poll', { idlePolls: 2 }, LIMITS, 2250],
    ['third idle poll', { idlePolls: 3 }, LIMITS, 3375],
    ['no idle poll yet', { idlePolls: 0 }, LIMITS, 1000],
    ['many idle polls hit the cap', { idlePolls: 30 }, LIMITS, 60_000],
    ['idle growth from a 5 s interval', { idlePolls: 2 }, { pollIntervalMs: 5000, maxDelayMs: 60_000 }, 11_250],
    // One case or none: nothing to predict from.
    ['a single case', { total: 1, done: 0, idlePolls: 9 }, LIMITS, 1000],
    ['no cases', { total: 0 }, { pollIntervalMs: 4000, maxDelayMs: 60_000 }, 4000],
    // 1 of 10 done around t=10 s: the end is predicted at 100 s, half the remaining wait is 45 s.
    ['far from the predicted end', { now: 10_000, done: 1, lastPollBefore: 10_000, firstSeenAt: 10_000, idlePolls: 0 }, LIMITS, 45_000],
    ['far, capped at maxDelayMs', { now: 10_000, done: 1, lastPollBefore: 10_000, firstSeenAt: 10_000, idlePolls: 0 }, { pollIntervalMs: 1000, maxDelayMs: 20_000 }, 20_000],
    // The case finished between the polls at 8 s and 12 s: taken as 10 s.
    ['finish time is the middle of two polls', { now: 12_000, done: 1, lastPollBefore: 8000, firstSeenAt: 12_000, idlePolls: 0 }, LIMITS, 44_000],
    ['without an earlier poll the first sighting counts', { now: 12_000, done: 1, firstSeenAt: 12_000, idlePolls: 0 }, LIMITS, 54_000],
    ['a poll before the start is clamped to the start', { now: 4000, startedAt: 2000, done: 1, lastPollBefore: 0, firstSeenAt: 4000, idlePolls: 0 }, LIMITS, 4000],
    // 9 of 10 done at about 9 s, now 9.5 s: 0.5 s left, so the close interval.
    ['near the predicted end', { now: 9500, done: 9, lastPollBefore: 9000, firstSeenAt: 9000, idlePolls: 0 }, LIMITS, 1000],
    ['after the predicted end', { now: 15_000, done: 5, lastPollBefore: 5000, firstSeenAt: 5000, idlePolls: 0 }, LIMITS, 1000],
    ['after the predicted end with a long interval', { now: 15_000, done: 5, lastPollBefore: 5000, firstSeenAt: 5000, idlePolls: 0 }, { pollIntervalMs: 10_000, maxDelayMs: 60_000 }, 1500],
    ['a little before the end, long interval', { now: 9000, done: 9, lastPollBefore: 9000, firstSeenAt: 9000, idlePolls: 0 }, { pollIntervalMs: 10_000, maxDelayMs: 60_000 }, 1500],
    ['everything finishes at once', { now: 1, done: 9, lastPollBefore: 0, firstSeenAt: 0, idlePolls: 0 }, LIMITS, 1000]
  ]
  it.each(cases)('%s', (_name, patch, limits, expected) => {
    expect(nextPollDelay(progress(patch), limits)).toBe(expected)
  })

  it('is never below the close interval nor above maxDelayMs', () => {
    for (const pollIntervalMs of [200, 1000, 1500, 5000, 30_000]) {
      const limits = { pollIntervalMs, maxDelayMs: Math.max(pollIntervalMs, 60_000) }
      for (const done of [0, 1, 5, 9, 10]) {
        for (const now of [0, 1, 999, 5000, 50_000, 500_000]) {
          for (const idlePolls of [0, 1, 5, 50]) {
            const delay = nextPollDelay(progress({ now, done, firstSeenAt: Math.min(now, 5000), lastPollBefore: 0, idlePolls }), limits)
            expect(delay).toBeGreaterThanOrEqual(closeIntervalMs(pollIntervalMs))
            expect(delay).toBeLessThanOrEqual(limits.maxDelayMs)
            expect(Number.isInteger(delay)).toBe(true)
          }
        }
      }
    }
  })
})

/** A run whose `total` cases finish evenly over `durationMs` from t=0, polled on a virtual clock. */
interface Scenario {
  total: number
  durationMs: number
  pollIntervalMs: number
  /** When the action first polls, after the run started. */
  firstPollAt?: number
  /** Request time: the answer describes the run as of `latencyMs` after the poll begins. */
  latencyMs?: number
  /** When each case finishes, for runs whose cases do not finish evenly. */
  caseEnds?: number[]
}

/** Case end times from each case's duration, one after another. */
function caseEnds(durations: number[]): number[] {
  let clock = 0
  return durations.map((duration) => (clock += duration))
}

function simulate(scenario: Scenario): { polls: number; verdictAt: number; delays: number[] } {
  const { total, durationMs, pollIntervalMs, firstPollAt = 0, latencyMs = 0 } = scenario
  const limits = { pollIntervalMs, maxDelayMs: Math.max(pollIntervalMs, 60_000) }
  const delays: number[] = []
  let clock = firstPollAt
  let previous: Progress | undefined
  for (let polls = 1; polls <= 10_000; polls++) {
    clock += latencyMs
    const done = scenario.caseEnds
      ? scenario.caseEnds.filter((end) => end <= clock).length
      : Math.min(total, Math.floor((clock * total) / durationMs))
    if (done >= total) return { polls, verdictAt: clock, delays }
    previous = progressAfter(previous, { startedAt: 0, done, total }, clock, firstPollAt)
    const delay = nextPollDelay(previous, limits)
    delays.push(delay)
    clock += delay
  }
  throw new Error('the simulation never finished')
}

describe('polling a run on a virtual clock', () => {
  it('polls a 60 s, 30-case run at most 20 times and gives the verdict within 2 s of its end', () => {
    const result = simulate({ total: 30, durationMs: 60_000, pollIntervalMs: 1000 })
    expect(result.polls).toBeLessThanOrEqual(20)
    expect(result.verdictAt).toBeGreaterThanOrEqual(60_000)
    expect(result.verdictAt - 60_000).toBeLessThanOrEqual(2000)
  })

  it('waits long in the middle of the run and short near its end', () => {
    const { delays } = simulate({ total: 30, durationMs: 60_000, pollIntervalMs: 1000 })
    expect(Math.max(...delays)).toBeGreaterThanOrEqual(10_000)
    expect(delays[delays.length - 1]).toBeLessThanOrEqual(1500)
  })

  const cases: [string, Scenario, number][] = [
    ['30 cases in 60 s, first poll late, slow requests', { total: 30, durationMs: 60_000, pollIntervalMs: 1000, firstPollAt: 500, latencyMs: 100 }, 20],
    ['30 cases in 60 s at a 5 s interval', { total: 30, durationMs: 60_000, pollIntervalMs: 5000 }, 20],
    ['30 cases in 6 s', { total: 30, durationMs: 6000, pollIntervalMs: 1000 }, 10],
    ['2 cases in 10 s', { total: 2, durationMs: 10_000, pollIntervalMs: 1000 }, 10],
    ['3 cases in 5 min', { total: 3, durationMs: 300_000, pollIntervalMs: 5000 }, 60],
    ['10 cases in 10 min', { total: 10, durationMs: 600_000, pollIntervalMs: 5000 }, 60],
    ['50 cases in 5 min', { total: 50, durationMs: 300_000, pollIntervalMs: 5000 }, 30],
    ['100 cases in 30 min', { total: 100, durationMs: 1_800_000, pollIntervalMs: 5000, firstPollAt: 2000, latencyMs: 200 }, 80],
    ['1000 cases in 1 h', { total: 1000, durationMs: 3_600_000, pollIntervalMs: 5000 }, 120],
    // Uneven: slow cases first, then a burst of fast ones that ends the run far earlier than the early pace predicts.
    ['20 slow cases, then 10 fast ones', { total: 30, durationMs: 250_000, pollIntervalMs: 1000, caseEnds: caseEnds([...Array(20).fill(12_000), ...Array(10).fill(1000)]) }, 40]
  ]
  it.each(cases)('%s: verdict within 2 s of the end, in few polls', (_name, scenario, maxPolls) => {
    const result = simulate(scenario)
    expect(result.verdictAt - scenario.durationMs).toBeGreaterThanOrEqual(0)
    expect(result.verdictAt - scenario.durationMs).toBeLessThanOrEqual(2000)
    expect(result.polls).toBeLessThanOrEqual(maxPolls)
  })
})

describe('a run far past its predicted end', () => {
  const limits = { pollIntervalMs: 1000, maxDelayMs: 60_000 }
  // 10 of 20 cases done in the first 10 s: the end was predicted at 20 s.
  const progress = (now: number): Progress => ({ now, startedAt: 0, done: 10, total: 20, lastPollBefore: 10_000, firstSeenAt: 10_000, idlePolls: 0 })

  it('is polled closely while the overrun is shorter than the run was predicted to take', () => {
    expect(nextPollDelay(progress(25_000), limits)).toBe(closeIntervalMs(1000))
    expect(nextPollDelay(progress(39_000), limits)).toBe(closeIntervalMs(1000))
  })

  it('then less and less often, never more than every 15 s', () => {
    const later = [60_000, 120_000, 600_000].map((now) => nextPollDelay(progress(now), limits))
    expect(later[0]).toBeGreaterThan(closeIntervalMs(1000))
    expect(later[1]).toBeGreaterThan(later[0])
    expect(later[2]).toBe(15_000)
  })
})
