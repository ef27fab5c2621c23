import { describe, expect, it } from '@jest/globals'
import type { TestRun } from '../../src/api/shapes.js'
import { EARLY_MS, LATE_MS, matchBuildRuns, matchRuns } from '../../src/gate/deployment-runs.js'

// Finding a deployment's runs by time, on the server's clock: table-driven over the rule's edges.
const T = Date.parse('2026-06-01T12:00:00.000Z')
const at = (ms: number): string => new Date(ms).toISOString()
const deployment = (id: string, version: string, createdAtMs: number) => ({ id, version, createdAt: at(createdAtMs) })
const run = (id: string, startedAtMs?: number): TestRun => ({
  id, status: 'completed', passedCount: 1, failedCount: 0, errorCount: 0, testCaseCount: 1, testHistory: [],
  ...(startedAtMs === undefined ? {} : { startedAt: at(startedAtMs) })
})
const D = deployment('d', 'v1', T)
/** The whole list, read to its end. */
const all = (runs: TestRun[]) => ({ runs, completeAfter: Number.NEGATIVE_INFINITY })

describe('matchRuns', () => {
  const cases: [string, TestRun[], ReturnType<typeof deployment>[], string[] | RegExp][] = [
    ['runs started with it', [run('r1', T), run('r2', T + 5)], [D], ['r1', 'r2']],
    ['a run at each edge of the window', [run('early', T - EARLY_MS), run('late', T + LATE_MS)], [D], ['early', 'late']],
    ['runs just outside the window', [run('before', T - EARLY_MS - 1), run('after', T + LATE_MS + 1)], [D], /^no test run started from 30s before to 120s after/],
    ['a run without a start time', [run('undated')], [D], /^no test run started/],
    ['only runs of long ago', [run('old', T - 3_600_000)], [D], /^no test run started/],
    ['another version deployed near the runs', [run('r1', T)], [D, deployment('e', 'v2', T - 10_000)], /^test runs r1 started near it, but deployment\(s\) e of another version/],
    ['the same version deployed near the runs: the same build', [run('r1', T)], [D, deployment('p', 'v1', T + 2_000)], ['r1']],
    ['another version deployed long before', [run('r1', T)], [D, deployment('e', 'v2', T - 3_600_000)], ['r1']],
    ['another version deployed after the window of the runs', [run('r1', T)], [D, deployment('e', 'v2', T + EARLY_MS + 1)], ['r1']]
  ]
  it.each(cases)('%s', (_name, runs, deployments, expected) => {
    const found = matchRuns(D, all(runs), deployments)
    if (Array.isArray(expected)) expect(found).toEqual({ runs: runs.filter((candidate) => expected.includes(candidate.id)), deployment: D })
    else expect('problem' in found && found.problem).toMatch(expected)
  })

  it('cannot place a deployment whose creation time is unreadable', () => {
    expect(matchRuns({ id: 'd', version: 'v1', createdAt: 'yesterday' }, all([run('r1', T)]), [])).toEqual({
      problem: "the creation time 'yesterday' of deployment d cannot be read"
    })
  })

  it('takes no runs as all of them where the list was not read back to its window', () => {
    // The newest-first pages read reached back only to T - 1 s: a run of D's may be past them.
    const found = matchRuns(D, { runs: [run('r1', T), run('r2', T - 1_000)], completeAfter: T - 1_000 }, [D])
    expect(found).toEqual({
      problem: expect.stringMatching(/^the agent's test runs could not all be read back to its creation \(10 pages of up to 100; only those that started after 2026-06-01T11:59:59.000Z were all read\)$/),
      unclear: [run('r1', T), run('r2', T - 1_000)]
    })
    expect(matchRuns(D, { runs: [], completeAfter: Number.POSITIVE_INFINITY }, [D])).toEqual({
      problem: expect.stringMatching(/their order cannot be told\)$/)
    })
  })

  it('takes the runs where the pages read reach back past its window', () => {
    const runs = [run('r1', T), run('old', T - EARLY_MS - 5_000)]
    expect(matchRuns(D, { runs, completeAfter: T - EARLY_MS - 5_000 }, [D])).toEqual({ runs: [runs[0]], deployment: D })
  })
})

describe('matchBuildRuns', () => {
  const HOUR = 3_600_000
  const older = deployment('o', 'v1', T - 2 * HOUR)
  const newer = deployment('n', 'v1', T - HOUR)
  const ran = [run('own', T), run('newer', T - HOUR), run('older', T - 2 * HOUR)]
  const cases: [string, TestRun[], ReturnType<typeof deployment>[], string, string[]][] = [
    ['its own runs come before those of older deployments of its version', ran, [D, older, newer], 'd', ['own']],
    ['without its own, the newest other deployment of its version stands in', ran.slice(1), [older, D, newer], 'n', ['newer']],
    ['an older one stands in where a newer one has no runs to find', ran.slice(2), [older, D, newer], 'o', ['older']]
  ]
  it.each(cases)('%s', (_name, runs, deployments, whose, expected) => {
    const found = matchBuildRuns(D, all(runs), deployments)
    expect('runs' in found && [found.deployment.id, found.runs.map((candidate) => candidate.id)]).toEqual([whose, expected])
  })

  it("lets no older one stand in where another version makes a newer one's runs unclear: those are the answer, unclear", () => {
    const found = matchBuildRuns(D, all(ran.slice(1)), [older, D, newer, deployment('e', 'v2', T - HOUR + 1_000)])
    expect('unclear' in found && found.unclear?.map((candidate) => candidate.id)).toEqual(['newer'])
  })

  it('lets no other deployment stand in where its own runs are unclear', () => {
    const found = matchBuildRuns(D, all(ran), [older, D, newer, deployment('e', 'v2', T + 1_000)])
    expect('unclear' in found && found.unclear?.map((candidate) => candidate.id)).toEqual(['own'])
  })

  it('answers with its own problem where no deployment of its version has runs to find', () => {
    expect(matchBuildRuns(D, all([run('other', T - 3 * HOUR)]), [D, older, newer])).toEqual(matchRuns(D, all([]), [D]))
  })
})
