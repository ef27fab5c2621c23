import { describe, it, expect } from '@jest/globals'
import { caseEnds, finishedBy, SHAPES, type Shape } from '../../emulator/run-shapes.js'
import type { ApiClient } from '../../src/api/client.js'
import type { Clock } from '../../src/time/clock.js'
import { ApiError, CancelledError } from '../../src/errors.js'
import { waitForTestRuns } from '../../src/gate/poller.js'
import { blindIntervalMs, ceilingPolls, closeIntervalMs, firstPollDelay, nextPollDelay, predictEnd, Progress, progressAfter } from '../../src/gate/schedule.js'

// Properties of the schedule that hold on a virtual clock, whatever the machine: no timed assertions.

const LIMITS = { pollIntervalMs: 5000, maxDelayMs: 60_000 }

describe('the intervals', () => {
  it.each([
    [500, 500, 500],
    [1000, 1000, 1000],
    [5000, 1500, 2000],
    [60_000, 1500, 2000]
  ])('poll-interval %d: close %d, blind %d', (interval, close, blind) => {
    expect(closeIntervalMs(interval)).toBe(close)
    expect(blindIntervalMs(interval)).toBe(blind)
  })
})

/**
 * Polls one run of the given case ends with the schedule alone, each answer a round trip after its
 * poll is sent (the server reads the run halfway); every delay, and when each poll was sent.
 */
function schedule(
  ends: number[],
  limits = LIMITS,
  stopAtMs = 3 * 3_600_000,
  roundTrip: (poll: number) => number = () => 0
): { delays: number[]; polls: { at: number; done: number }[]; overdueSince?: number; overdueAt: Progress['overdue'][] } {
  const delays: number[] = []
  const overdueAt: Progress['overdue'][] = []
  const polls: { at: number; done: number }[] = []
  let progress: Progress | undefined
  let at = firstPollDelay(limits)
  while (at < stopAtMs) {
    const roundTripMs = roundTrip(polls.length)
    const done = finishedBy(ends, at + roundTripMs / 2)
    polls.push({ at, done })
    if (done === ends.length) break
    progress = progressAfter(progress, { startedAt: 0, done, total: ends.length }, at + roundTripMs, 0, roundTripMs)
    const delay = nextPollDelay(progress, limits)
    delays.push(delay)
    overdueAt.push(progress.overdue)
    at += roundTripMs + delay
  }
  return { delays, polls, overdueSince: progress?.overdue?.since, overdueAt }
}

const shapes = Object.keys(SHAPES) as Shape[]
const runs = shapes.flatMap((shape) =>
  [1, 4, 30, 100].flatMap((cases) => [2000, 60_000, 600_000].flatMap((durationMs) => [1, 2, 3].map((seed) => ({ shape, cases, durationMs, seed })))))

describe('on every shape of run', () => {
  it('never polls closer than the close interval, nor waits past maxDelayMs', () => {
    for (const run of runs) {
      for (const delay of schedule(caseEnds(run.shape, run)).delays) {
        expect(Number.isInteger(delay)).toBe(true)
        expect(delay).toBeGreaterThanOrEqual(closeIntervalMs(LIMITS.pollIntervalMs))
        expect(delay).toBeLessThanOrEqual(LIMITS.maxDelayMs)
      }
    }
  })

  it('sees every run end, and no earlier than it ends', () => {
    for (const run of runs) {
      const ends = caseEnds(run.shape, run)
      const { polls } = schedule(ends)
      expect(polls[polls.length - 1].done).toBe(run.cases)
      expect(polls[polls.length - 1].at).toBeGreaterThanOrEqual(ends[ends.length - 1])
    }
  })

  it('never polls more often than a fixed poller every blind interval (less half a round trip), counted from the first poll', () => {
    const blind = blindIntervalMs(LIMITS.pollIntervalMs)
    for (const run of runs) {
      for (const roundTripMs of [30, 150]) {
        const { polls } = schedule(caseEnds(run.shape, run), LIMITS, 3 * 3_600_000, () => roundTripMs)
        polls.forEach((poll, index) => expect(poll.at - polls[0].at).toBeGreaterThanOrEqual((blind - roundTripMs / 2) * index - 1))
      }
    }
  })

  it('polls no more often than a fixed poller every blind interval from the first poll, once past the first seconds the ceiling holds to 2 s', () => {
    const blind = blindIntervalMs(LIMITS.pollIntervalMs)
    for (const run of runs) {
      for (const roundTripMs of [30, 150]) {
        const { polls } = schedule(caseEnds(run.shape, run), LIMITS, 3 * 3_600_000, () => roundTripMs)
        polls.forEach((poll, index) => {
          if (poll.at >= 40_000) expect(poll.at - polls[0].at).toBeGreaterThanOrEqual(blind * index - 1)
        })
      }
    }
  })

  it('never waits longer than a tenth of the run\'s age, or the blind interval while that is less', () => {
    const blind = blindIntervalMs(LIMITS.pollIntervalMs)
    for (const run of runs) {
      const { delays, polls } = schedule(caseEnds(run.shape, run))
      delays.forEach((delay, index) => expect(delay).toBeLessThanOrEqual(Math.max(blind, Math.round(0.1 * polls[index].at))))
    }
  })

  it('gives its verdict within max(2 s, 10% of the run) on every shape, sudden rushes and batches too', () => {
    for (const run of runs) {
      const ends = caseEnds(run.shape, run)
      const { polls } = schedule(ends, LIMITS, 3 * 3_600_000, () => 90)
      const end = ends[ends.length - 1]
      // The poll that sees the end is answered a round trip after it is sent.
      expect(polls[polls.length - 1].at + 90 - end).toBeLessThanOrEqual(Math.max(2000, 0.1 * end))
    }
  })

  it('does not poll at once: a run is rarely done in its first moment', () => {
    expect(firstPollDelay(LIMITS)).toBe(closeIntervalMs(LIMITS.pollIntervalMs))
  })
})

describe('a run past its predicted end', () => {
  // 15 of 30 cases in the first 30 s, then the last case never finishes.
  const ends = [...Array.from({ length: 29 }, (_, index) => (index + 1) * 2000), Number.POSITIVE_INFINITY]

  it('is polled less and less often while it stays overdue, and never more often than every 5 s once long overdue', () => {
    const { delays, polls } = schedule(ends, LIMITS, 30 * 60_000)
    const overdue = polls.slice(1).map((poll, index) => ({ at: poll.at, delay: delays[index + 1] })).filter((poll) => poll.at > 120_000 && poll.delay !== undefined)
    expect(overdue.length).toBeGreaterThan(5)
    for (let index = 1; index < overdue.length; index++) expect(overdue[index].delay).toBeGreaterThanOrEqual(overdue[index - 1].delay)
    for (const poll of overdue) expect(poll.delay).toBeGreaterThanOrEqual(5000)
    expect(overdue[overdue.length - 1].delay).toBeGreaterThan(overdue[0].delay)
  })
})

describe('a run that counts again after outliving its window', () => {
  // 20 cases evenly in a minute, a stall to 5 minutes, then the last 10 every 3 s.
  const ends = [...Array.from({ length: 20 }, (_, index) => (index + 1) * 3000), ...Array.from({ length: 10 }, (_, index) => 300_000 + (index + 1) * 3000)]

  it('is polled no more often than a fixed 5 s poller from the moment it was overdue, across its new window too', () => {
    const { polls, overdueSince } = schedule(ends)
    expect(overdueSince).toBeGreaterThan(60_000)
    expect(overdueSince).toBeLessThan(120_000)
    const since = polls.filter((poll) => poll.at >= overdueSince!)
    expect(since.some((poll) => poll.done > 20)).toBe(true)
    since.forEach((poll, index) => expect(index).toBeLessThanOrEqual(Math.floor((poll.at - overdueSince!) / 5000)))
  })
})

describe('a run overdue past 50 s, in the wide window a late count brought', () => {
  // Overdue since 294 s with 47 polls since; its new window is 538–642 s: the 5 s count leaves
  // some 22 polls by its end, 45 s of 2 s polls, where the window is 104 s wide.
  const progress = (now: number, pollsSince: number): Progress => ({
    now,
    startedAt: 0,
    done: 3,
    total: 4,
    seen: [],
    polls: 100,
    firstSentAt: 1500,
    roundTripMs: 0,
    end: { earliest: 538_000, latest: 642_000 },
    overdue: { since: 294_000, polls: pollsSince }
  })

  it('sleeps through the window\'s first seconds to spend those polls across its middle', () => {
    const delay = nextPollDelay(progress(538_000, 47), LIMITS)
    expect(delay).toBeGreaterThan(5000)
    expect(538_000 + delay).toBeLessThanOrEqual((538_000 + 642_000 - 22.6 * 2000) / 2)
  })

  it('polls every 2 s once there', () => {
    expect(nextPollDelay(progress(570_000, 48), LIMITS)).toBeLessThanOrEqual(2000)
  })
})

describe('a run that outlived a window closing in its first 50 s', () => {
  // Two quick cases put the end at about 25 s; the third, slow, puts it at 60 s, where it ends.
  const ends = [6400, 12_600, 34_900, 60_000]

  it('has its new window polled for a verdict within 2 s, not at a fixed 5 s poller\'s count', () => {
    const { polls, overdueSince } = schedule(ends)
    expect(overdueSince).toBeLessThan(50_000)
    expect(polls[polls.length - 1].at - 60_000).toBeLessThanOrEqual(2000)
  })
})

describe('a wide window', () => {
  const progress = (now: number, polls: number, end: { earliest: number; latest: number }): Progress => ({
    now, startedAt: 0, done: 3, total: 4, seen: [], polls, firstSentAt: 1500, roundTripMs: 0, end
  })

  it('is polled every 2 s where the ceiling alone polls a short run more than half a 2 s poller does', () => {
    // A minute-long run, its last case predicted 51–89 s: half a 2 s poller's polls by 89 s is 22,
    // all spent; the ceiling alone makes 26 by then.
    expect(nextPollDelay(progress(56_300, 22, { earliest: 50_700, latest: 88_900 }), LIMITS)).toBeLessThanOrEqual(2000)
  })

  it('is polled as often as what is left of half a 2 s poller\'s polls allows on a long run', () => {
    // 40 polls left of 160 by 640 s, across a window 120 s wide: 3 s apart.
    const delay = nextPollDelay(progress(540_000, 120, { earliest: 520_000, latest: 640_000 }), LIMITS)
    expect(delay).toBeGreaterThan(2500)
    expect(delay).toBeLessThanOrEqual(3000)
  })

  it('gives the verdict of a back-loaded minute-long run within 2 s, in fewer polls than a 2 s poller', () => {
    for (const ends of [[25_098, 47_140, 53_292, 60_000], [25_797, 48_225, 54_348, 60_000]]) {
      const { polls } = schedule(ends)
      expect(polls[polls.length - 1].at - 60_000).toBeLessThanOrEqual(2000)
      expect(polls.length).toBeLessThanOrEqual(30)
    }
  })
})

describe('the ceiling\'s own polls', () => {
  it.each([10_000, 20_000, 60_000, 180_000, 600_000, 1_200_000])('over %d ms, as counted poll by poll', (lengthMs) => {
    // Every 2 s for the first 20 s, then each wait a tenth of the age reached.
    let polls = 0
    for (let at = 0; at < lengthMs; polls++) at = Math.max(at + 2000, 1.1 * at)
    expect(Math.abs(ceilingPolls(lengthMs, 2000) - polls)).toBeLessThanOrEqual(1)
  })
})

describe('an overdue run', () => {
  it('never waits longer than a tenth of the time since it was overdue, or 5 s, but to keep to a fixed 5 s poller\'s count', () => {
    for (const run of runs) {
      const { delays, polls, overdueAt } = schedule(caseEnds(run.shape, run))
      delays.forEach((delay, index) => {
        const overdue = overdueAt[index]
        if (!overdue) return
        const { at } = polls[index]
        expect(delay).toBeLessThanOrEqual(Math.max(5000, 0.1 * (at - overdue.since), overdue.since + 5000 * overdue.polls - at))
      })
    }
  })
})

describe('the pace', () => {
  it('predicts an even run\'s end from its count', () => {
    const progress = progressAfter(progressAfter(undefined, { startedAt: 0, done: 9, total: 30 }, 19_000, 0), { startedAt: 0, done: 10, total: 30 }, 20_500, 0)
    const end = predictEnd(progress)!
    expect(end.earliest).toBeLessThanOrEqual(61_000)
    expect(end.latest).toBeGreaterThanOrEqual(59_000)
    expect(end.latest - end.earliest).toBeLessThan(20_000)
  })

  it('reaches as far as a whole batch for the last few cases of a run whose cases finish in batches', () => {
    // 30 cases, 4 at a time every 10 s, each batch seen at once: the last 2 end with the 8th batch, at 80 s.
    let progress: Progress | undefined
    for (let batch = 1; batch <= 7; batch++) progress = progressAfter(progress, { startedAt: 0, done: 4 * batch, total: 30 }, batch * 10_000 + 500, 0)
    const end = predictEnd(progress!)!
    expect(end.latest).toBeGreaterThanOrEqual(80_000)
    expect(end.earliest).toBeLessThanOrEqual(76_000)
  })

  it('follows the latest pace of a run of few cases once it changed', () => {
    // Polled every second: two quick cases, then a slow one; the fourth, as slow, ends at 100 s. The
    // pace since the first case (25 s a case) would put the end from 85 s.
    const ends = [10_000, 20_000, 60_000]
    let progress: Progress | undefined
    for (let at = 1000; at <= 60_500; at += 1000) progress = progressAfter(progress, { startedAt: 0, done: finishedBy(ends, at), total: 4 }, at, 0)
    const end = predictEnd(progress!)!
    expect(end.earliest).toBeGreaterThan(85_000)
    expect(end.earliest).toBeLessThanOrEqual(100_000)
    expect(end.latest).toBeGreaterThanOrEqual(100_000)
  })

  it('reaches as far either side as the batches of a run whose cases finish together have varied', () => {
    // 32 cases, 4 at a time, each batch 8 to 12 s: the last ends 8 to 12 s after the seventh.
    const lengths = [10_000, 12_000, 8000, 11_000, 9000, 12_000, 8000]
    let progress: Progress | undefined
    let at = 0
    lengths.forEach((length, index) => {
      at += length
      progress = progressAfter(progress, { startedAt: 0, done: 4 * (index + 1), total: 32 }, at + 100, 0)
    })
    const end = predictEnd(progress!)!
    expect(end.earliest).toBeLessThanOrEqual(at + 8000)
    expect(end.latest).toBeGreaterThanOrEqual(at + 12_000)
  })

  it('is not pinned to the close interval by two close polls that saw several cases at once', () => {
    // Polls 1.5 s apart see 3 cases finish together; the rest of a 20-minute run is even.
    let progress = progressAfter(undefined, { startedAt: 0, done: 0, total: 30 }, 100_000, 0)
    progress = progressAfter(progress, { startedAt: 0, done: 3, total: 30 }, 101_500, 0)
    progress = progressAfter(progress, { startedAt: 0, done: 3, total: 30 }, 400_000, 0)
    expect(nextPollDelay(progress, LIMITS)).toBeGreaterThan(10 * closeIntervalMs(LIMITS.pollIntervalMs))
  })
})

/** A clock whose sleeps are queued and fired in order once the test's promises have settled. */
class TestClock implements Clock {
  time = 0
  readonly sleepsUntil: number[] = []
  private timers: { at: number; fire: () => void }[] = []
  now = (): number => this.time
  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError())
      this.sleepsUntil.push(this.time + ms)
      this.timers.push({ at: this.time + ms, fire: resolve })
      this.timers.sort((a, b) => a.at - b.at)
    })
  timeout = (): AbortSignal => new AbortController().signal
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false
    void promise.finally(() => (settled = true))
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve))
      const timer = this.timers.shift()
      if (!timer) break
      this.time = Math.max(this.time, timer.at)
      timer.fire()
    }
    return promise
  }
}

describe('the poller on a virtual clock', () => {
  it('never sleeps past the deadline, and ends there with the run still going', async () => {
    const clock = new TestClock()
    const polledAt: number[] = []
    const client = {
      turns: { size: 8 },
      get: async () => {
        polledAt.push(clock.now())
        const done = Math.min(29, Math.floor(clock.now() / 2000))
        const body = { id: 'run_1', status: 'running', passedCount: done, failedCount: 0, errorCount: 0, testCaseCount: 30, testHistory: [] }
        return { status: 200, body, correlationId: 'test' }
      }
    } as unknown as ApiClient
    const deadline = 10 * 60_000 + 123
    const [report] = await clock.run(waitForTestRuns(['run_1'], { client, agentId: 'a', pollIntervalMs: 5000, deadline, signal: new AbortController().signal, clock, random: () => 0.5 }))
    expect(report.state).toBe('timed-out')
    expect(Math.max(...clock.sleepsUntil)).toBeLessThanOrEqual(deadline)
    expect(polledAt[0]).toBeGreaterThanOrEqual(firstPollDelay(LIMITS))
    for (let index = 1; index < polledAt.length; index++) expect(polledAt[index] - polledAt[index - 1]).toBeGreaterThanOrEqual(closeIntervalMs(5000))
  })

  it.each([
    ['every poll answered 404', 404, /^never found: all \d+ polls answered 404$/],
    ['every poll failed otherwise', 500, /^never read \(\d+ failed polls\); last error: GET \/test-runs\/run_1 failed: HTTP 500: no /]
  ])('says a run it never read was never read, not still going, where %s', async (_name, status, note) => {
    const clock = new TestClock()
    const client = {
      turns: { size: 8 },
      get: async () => {
        throw new ApiError(status, '', 'no', 'test', 'GET /test-runs/run_1')
      }
    } as unknown as ApiClient
    // Under the minute after which failed polls make a run unreadable.
    const [report] = await clock.run(waitForTestRuns(['run_1'], { client, agentId: 'a', pollIntervalMs: 5000, deadline: 30_000, signal: new AbortController().signal, clock, random: () => 0.5 }))
    expect(report.state).toBe('timed-out')
    expect(report.polls).toBeGreaterThan(1)
    expect(report.note).toMatch(note)
  })

  it('polls once more just before a deadline that cuts a wait short, so a run that finished then is not timed out', async () => {
    const clock = new TestClock()
    const finishAt = 27_000
    const polledAt: number[] = []
    const client = {
      turns: { size: 8 },
      get: async () => {
        polledAt.push(clock.now())
        const done = clock.now() >= finishAt
        return { status: 200, body: { id: 'run_1', status: done ? 'completed' : 'running', passedCount: done ? 3 : 0, failedCount: 0, errorCount: 0, testCaseCount: 3, testHistory: [] }, correlationId: 'test' }
      }
    } as unknown as ApiClient
    const deadline = 28_000
    const [report] = await clock.run(waitForTestRuns(['run_1'], { client, agentId: 'a', pollIntervalMs: 5000, deadline, signal: new AbortController().signal, clock, random: () => 0.5 }))
    expect(report.state).toBe('passed')
    // The poll that read it came within the deadline, and after the run's end: the one the deadline cut short.
    expect(polledAt.at(-1)).toBeLessThan(deadline)
    expect(polledAt.at(-1)).toBeGreaterThanOrEqual(finishAt)
  })

  it('says a run read before the deadline is still going, and one never polled was never read', async () => {
    const clock = new TestClock()
    const client = {
      turns: { size: 8 },
      get: async () => ({ status: 200, body: { id: 'run_1', status: 'running', passedCount: 0, failedCount: 0, errorCount: 0, testCaseCount: 3, testHistory: [] }, correlationId: 'test' })
    } as unknown as ApiClient
    const options = { client, agentId: 'a', pollIntervalMs: 5000, signal: new AbortController().signal, clock, random: () => 0.5 }
    const [read] = await clock.run(waitForTestRuns(['run_1'], { ...options, deadline: 30_000 }))
    expect(read.note).toBe('still going when timeout was reached')
    const [unread] = await clock.run(waitForTestRuns(['run_1'], { ...options, deadline: clock.now() + 1 }))
    expect(unread).toMatchObject({ state: 'timed-out', polls: 0, note: 'never read: timeout was reached before any poll was answered' })
  })

  it("measures a finished run's duration on the wait's own clock, from the wait's start to the poll that saw it end", async () => {
    const clock = new TestClock()
    clock.time = 1_000_000
    let lastPollAt = 0
    const client = {
      turns: { size: 8 },
      get: async () => {
        lastPollAt = clock.now()
        const done = clock.now() >= 1_030_000 ? 4 : 0
        const body = { id: 'run_1', status: done === 4 ? 'completed' : 'running', passedCount: done, failedCount: 0, errorCount: 0, testCaseCount: 4, testHistory: [] }
        return { status: 200, body, correlationId: 'test' }
      }
    } as unknown as ApiClient
    const [report] = await clock.run(waitForTestRuns(['run_1'], { client, agentId: 'a', pollIntervalMs: 5000, deadline: 2_000_000, signal: new AbortController().signal, clock, random: () => 0.5 }))
    expect(report.state).toBe('passed')
    expect(lastPollAt).toBeGreaterThanOrEqual(1_030_000)
    expect(report.durationMs).toBe(lastPollAt - 1_000_000)
  })
})
