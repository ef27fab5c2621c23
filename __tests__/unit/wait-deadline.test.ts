import { describe, expect, it } from '@jest/globals'
import type { ApiClient } from '../../src/api/client.js'
import { Semaphore } from '../../src/api/semaphore.js'
import { pollRuns } from '../../src/gate/policy.js'
import type { Context } from '../../src/step/context.js'

// timeout bounds all of a step's waits: one deadline, set by the first wait and shared by the rest.
function contextWith(waitDeadline?: { at?: number }): { ctx: Context; lines: string[]; requests: string[] } {
  const lines: string[] = []
  const requests: string[] = []
  const client = {
    turns: new Semaphore(8),
    get: async (path: string) => {
      requests.push(path)
      const id = path.split('/').pop()
      return { status: 200, correlationId: 'c-1', body: { id, status: 'completed', passedCount: 1, failedCount: 0, errorCount: 0, testCaseCount: 1 } }
    }
  } as unknown as ApiClient
  const log = { info: (line: string) => lines.push(line), warning: (line: string) => lines.push(line), debug: () => {} }
  const ctx = { client, config: { agentId: 'a', timeoutMs: 30_000, pollIntervalMs: 100 }, signal: new AbortController().signal, log, waitDeadline } as unknown as Context
  return { ctx, lines, requests }
}

describe('the waits of one step', () => {
  it('the first has the whole timeout; a later one what is left of it, and says so', async () => {
    const shared: { at?: number } = {}
    const { ctx, lines } = contextWith(shared)
    const startedAt = Date.now()
    expect((await pollRuns(ctx, ['r1'])).map((report) => report.state)).toEqual(['passed'])
    expect(lines[0]).toBe('Waiting for 1 test run(s), at most 30s')
    expect(shared.at).toBeGreaterThanOrEqual(startedAt + 30_000)
    expect(shared.at).toBeLessThanOrEqual(Date.now() + 30_000)
    // As if the first wait had taken 18 s.
    const deadline = (shared.at = Date.now() + 12_000)
    lines.length = 0
    expect((await pollRuns(ctx, ['r1', 'r2'])).map((report) => report.state)).toEqual(['passed', 'passed'])
    expect(lines[0]).toBe('Waiting for 2 test run(s), at most 12s (what is left of timeout 30s)')
    expect(shared.at).toBe(deadline)
  })

  it('one that starts with no time left ends timed out at once, without a request', async () => {
    const { ctx, lines, requests } = contextWith({ at: Date.now() - 1 })
    const reports = await pollRuns(ctx, ['r1', 'r2'])
    expect(reports.map((report) => report.state)).toEqual(['timed-out', 'timed-out'])
    expect(requests).toEqual([])
    expect(lines[0]).toBe('Waiting for 2 test run(s), at most 0s (what is left of timeout 30s)')
  })

  it('without a shared deadline, each wait has a timeout of its own', async () => {
    const { ctx, lines } = contextWith()
    await pollRuns(ctx, ['r1'])
    await pollRuns(ctx, ['r1'])
    expect(lines.filter((line) => line.startsWith('Waiting for'))).toEqual(['Waiting for 1 test run(s), at most 30s', 'Waiting for 1 test run(s), at most 30s'])
  })
})
