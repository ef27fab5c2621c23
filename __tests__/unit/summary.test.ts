import { describe, it, expect } from '@jest/globals'
import type { Deployment, TestCaseResult } from '../../src/api/shapes.js'
import type { RunReport } from '../../src/gate/verdict.js'
import type { StepRecord } from '../../src/step/context.js'
import { failureMessage } from '../../src/report/outcome.js'
import { cell, fleetSummaryMarkdown, summaryMarkdown } from '../../src/report/summary.js'

function deployment(id: string, version: string, patch: Partial<Deployment> = {}): Deployment {
  return { id, agentId: 'agent-1', environment: 'sandbox', artifactVersion: 'a1', version, createdBy: 'dev@example.com', createdAt: '2025-06-01T12:00:00Z', ...patch }
}

function report(id: string, patch: Partial<RunReport> = {}): RunReport {
  return { id, state: 'passed', status: 'completed', passed: 3, failed: 0, errored: 0, total: 3, failedCases: [], polls: 2, durationMs: 90_000, ...patch }
}

function testCase(testCaseId: string, status: string, patch: Partial<TestCaseResult> = {}): TestCaseResult {
  return { testCaseId, name: testCaseId, status, failedAssertions: [], functionFailures: [], ...patch }
}

function record(patch: Partial<StepRecord> = {}): StepRecord {
  return { operation: 'publish', agentId: 'agent-1', environment: 'sandbox', testRunIds: [], reports: [], warnings: [], ...patch }
}

const PASSED = record({
  action: 'Published the draft to sandbox',
  changed: true,
  deployment: deployment('dep-2', 'v2'),
  previous: deployment('dep-1', 'v1'),
  testRunIds: ['r1'],
  reports: [report('r1')],
  verdict: { result: 'passed', passed: 3, failed: 0, errored: 0, total: 3 }
})

const FAILED = record({
  ...PASSED,
  ending: { kind: 'failed', reason: 'The test runs failed: 1 of 4 cases failed' },
  testRunIds: ['r1', 'r2'],
  reports: [
    report('r1'),
    report('r2', { state: 'failed', passed: 2, failed: 1, errored: 1, total: 4, durationMs: 45_000, failedCases: [testCase('greeting', 'failed', { name: 'Greets the caller', failedAssertions: ['Says hello: it did not', 'Is polite: it was curt'], conversationId: 'conv-7' }), testCase('refund', 'error', { functionFailures: ['issue_refund: raised'] })] })
  ],
  verdict: { result: 'failed', passed: 5, failed: 1, errored: 1, total: 7 }
})

/** Unescaped pipes in a table line: one more than its cells. */
function pipes(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length
}

/** Every block of table lines keeps the header's cell count and ends each line with a pipe. */
function expectTablesIntact(markdown: string): void {
  const lines = markdown.split('\n')
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].startsWith('|') || lines[index - 1]?.startsWith('|')) continue
    const width = pipes(lines[index])
    for (let row = index; row < lines.length && lines[row] !== ''; row++) {
      expect({ line: lines[row], pipes: pipes(lines[row]) }).toEqual({ line: lines[row], pipes: width })
      expect(lines[row].endsWith('|')).toBe(true)
    }
  }
}

describe('cell', () => {
  const cases: [string, string, string][] = [
    ['plain text', 'hello world', 'hello world'],
    ['a pipe', 'a|b', 'a\\|b'],
    ['new lines', 'one\ntwo\r\nthree', 'one two three'],
    ['runs of whitespace', 'a \t\n  b', 'a b'],
    ['HTML', '<img src=x>', '\\<img src=x\\>'],
    ['emphasis', '**bold**', '\\*\\*bold\\*\\*'],
    ['a link', '[x](https://evil)', '\\[x\\](https://evil)'],
    ['code', '`rm -rf`', '\\`rm -rf\\`'],
    ['a heading', '# title', '\\# title'],
    ['braces', '{x}', '\\{x\\}'],
    ['a backslash', 'a\\|b', 'a\\\\\\|b'],
    ['empty', '', '']
  ]
  it.each(cases)('escapes %s', (_name, input, expected) => {
    expect(cell(input)).toBe(expected)
  })

  it.each(cases)('leaves %s with no unescaped pipe or new line', (_name, input) => {
    const out = cell(input)
    expect(pipes(out)).toBe(0)
    expect(out).not.toMatch(/[\r\n]/)
  })
})

describe('summaryMarkdown', () => {
  it('reports a passed publish', () => {
    const markdown = summaryMarkdown(PASSED, {})
    const lines = markdown.split('\n')
    expect(lines[0]).toBe('## PolyAI release gate: ✅ Passed')
    expect(lines).toEqual(expect.arrayContaining([
      'Published the draft to sandbox.',
      '| Agent | `agent-1` |',
      '| Operation | publish |',
      '| Environment | sandbox |',
      '| Deployment | `dep-2` |',
      '| Version | `v2` |',
      '| Before | `v1` (deployment `dep-1`) |',
      '| Changed | yes |',
      '### Test runs',
      '| `r1` | ✅ passed | 3 | 0 | 0 | 3 | 1m 30s |',
      '| **All** | **passed** | 3 | 0 | 0 | 3 | |'
    ]))
    expect(markdown).not.toContain('Failing test cases')
    expect(markdown).not.toContain('[!WARNING]')
    expect(markdown).not.toContain('Triggered by')
    expectTablesIntact(markdown)
  })

  it('says at the top, in words, that no test gated a change, whatever the verdict', () => {
    const untested = record({
      ...PASSED,
      operation: 'promote',
      testRunIds: [],
      reports: [],
      gatedBy: 'none',
      gateNote: 'The promote triggered no test run, and no other run gated it',
      verdict: { result: 'none', passed: 0, failed: 0, errored: 0, total: 0 }
    })
    const lines = summaryMarkdown(untested, {}).split('\n')
    expect(lines.slice(2, 4)).toEqual(['> [!CAUTION]', '> **No test gated this deployment.** The promote triggered no test run, and no other run gated it.'])
    // A rollback that triggered nothing returns to a version that ran before: no caution.
    expect(summaryMarkdown(record({ ...untested, operation: 'rollback' }), {})).not.toContain('No test gated')
  })

  it('names the branch merged, its sequence and the conflicts resolved', () => {
    const merged = record({ ...PASSED, operation: 'merge', merge: { branchId: 'b-1', branchName: 'feature', sequence: '7', resolved: ['flows.x (modify): theirs'] } })
    const lines = summaryMarkdown(merged, {}).split('\n')
    expect(lines).toContain('| Branch | feature (`b-1`) |')
    expect(lines).toContain('| Merge sequence | `7` |')
    expect(lines).toContain('| Conflicts resolved | flows.x (modify): theirs |')
  })

  it('reports a failed gate with the failing cases', () => {
    const markdown = summaryMarkdown(FAILED, {})
    const lines = markdown.split('\n')
    expect(lines[0]).toBe('## PolyAI release gate: ❌ Failed')
    expect(lines).toContain('**Why:** The test runs failed: 1 of 4 cases failed')
    expect(lines).toContain('| `r2` | ❌ failed | 2 | 1 | 1 | 4 | 45s |')
    expect(lines).toContain('| **All** | **failed** | 5 | 1 | 1 | 7 | |')
    const table = lines.indexOf('#### Failing test cases')
    expect(table).toBeGreaterThan(0)
    expect(lines.slice(table + 2, table + 6)).toEqual([
      '| Test run | Test case | Status | What failed | Conversation |',
      '|---|---|---|---|---|',
      '| `r2` | Greets the caller (`greeting`) | failed | Says hello: it did not<br>Is polite: it was curt | `conv-7` |',
      '| `r2` | `refund` | error | issue_refund: raised | — |'
    ])
    expectTablesIntact(markdown)
  })

  it('shows at most 100 failing cases and counts the rest', () => {
    const failedCases = Array.from({ length: 130 }, (_, index) => testCase(`case-${index}`, 'failed'))
    const markdown = summaryMarkdown(record({ ...FAILED, reports: [report('r1', { state: 'failed', failedCases })], testRunIds: ['r1'] }), {})
    expect(markdown).toContain('| `r1` | `case-99` | failed |')
    expect(markdown).not.toContain('`case-100`')
    expect(markdown).toContain('| | …and 30 more | |')
  })

  it('puts the rollback banner at the top', () => {
    const markdown = summaryMarkdown(record({ ...FAILED, environment: 'live', rolledBackTo: deployment('dep-9', 'v1') }), {})
    const lines = markdown.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      '## PolyAI release gate: ❌ Failed',
      '',
      '> [!WARNING]',
      '> The gate failed, so live was **rolled back** to version `v1` (new deployment `dep-9`).'
    ])
    expect(lines.indexOf('> [!WARNING]')).toBeLessThan(lines.findIndex((line) => line.startsWith('**Why:**')))
  })

  it('reports a cancelled step with the runs still going', () => {
    const markdown = summaryMarkdown(record({ ...PASSED, ending: { kind: 'cancelled', reason: 'The run was cancelled' }, reports: [], verdict: undefined, testRunIds: ['r1', 'r2'] }), {})
    expect(markdown.split('\n')[0]).toBe('## PolyAI release gate: ⏹️ Cancelled')
    expect(markdown).toContain('| `r1` | ⏹️ still going | | | | | |')
    expect(markdown).toContain('| `r2` | ⏹️ still going | | | | | |')
    expectTablesIntact(markdown)
  })

  const outcomes: [string, Partial<StepRecord>, string][] = [
    ['nothing to do', { changed: false, verdict: { result: 'skipped', passed: 0, failed: 0, errored: 0, total: 0 } }, '➖ Nothing to do'],
    ['warnings', { warnings: ['careful'] }, '⚠️ Passed with warnings'],
    ['skipped but changed', { changed: true, verdict: { result: 'skipped', passed: 0, failed: 0, errored: 0, total: 0 } }, '✅ Passed'],
    ['cancelled beats failure', { ending: { kind: 'cancelled', reason: 'x' } }, '⏹️ Cancelled']
  ]
  it.each(outcomes)('headline for %s', (_name, patch, headline) => {
    expect(summaryMarkdown(record(patch), {}).split('\n')[0]).toBe(`## PolyAI release gate: ${headline}`)
  })

  const runSections: [string, Partial<StepRecord>, string][] = [
    ['not waited on', { verdict: { result: 'skipped', passed: 0, failed: 0, errored: 0, total: 0 }, testRunIds: ['r1', 'r2'] }, 'Not waited on: `r1`, `r2`.'],
    ['no tests ran', { verdict: { result: 'skipped', passed: 0, failed: 0, errored: 0, total: 0 } }, 'No tests ran.'],
    ['none triggered', { verdict: { result: 'none', passed: 0, failed: 0, errored: 0, total: 0 } }, 'The call triggered no test runs.'],
    ['a note', { testRunIds: ['r1'], reports: [report('r1', { state: 'timed-out', note: 'still going | when\ntimeout was reached' })] }, '- `r1`: still going \\| when timeout was reached']
  ]
  it.each(runSections)('test-run section: %s', (_name, patch, line) => {
    expect(summaryMarkdown(record(patch), {}).split('\n')).toContain(line)
  })

  it('lists deployments, escaping what the API wrote', () => {
    const deployments = [deployment('dep-2', 'v2', { message: 'fix | <b>bold</b>\nsecond line', createdBy: 'a|b@example.com' }), deployment('dep-1', 'v1')]
    const markdown = summaryMarkdown(record({ operation: 'list', environment: 'live', deployments }), {})
    expect(markdown).toContain('| Deployment | Version | Created | By | Message |')
    expect(markdown).toContain('| `dep-2` | `v2` | 2025-06-01T12:00:00Z | a\\|b@example.com | fix \\| \\<b\\>bold\\</b\\> second line |')
    expect(markdown).toContain('| `dep-1` | `v1` | 2025-06-01T12:00:00Z | dev@example.com |  |')
    expectTablesIntact(markdown)
  })

  it('says so when there are no deployments', () => {
    expect(summaryMarkdown(record({ operation: 'list', deployments: [] }), {})).toContain('No deployments.')
  })

  it('shows the active table only for active', () => {
    const activeBefore = { sandbox: deployment('dep-1', 'v1'), 'pre-release': null, live: deployment('dep-0', 'v0') }
    const markdown = summaryMarkdown(record({ operation: 'active', environment: undefined, activeBefore }), {})
    expect(markdown).toContain('| sandbox | `v1` | `dep-1` | 2025-06-01T12:00:00Z |')
    expect(markdown).toContain('| pre-release | — | nothing active | |')
    expect(markdown).toContain('| live | `v0` | `dep-0` | 2025-06-01T12:00:00Z |')
    expect(markdown).not.toMatch(/^\| Environment \| (sandbox|pre-release|live) \|$/m)
    expectTablesIntact(markdown)
    expect(summaryMarkdown(record({ activeBefore }), {})).not.toContain('nothing active')
  })

  it('says who triggered the step', () => {
    const env = { GITHUB_ACTOR: 'octo|cat', GITHUB_EVENT_NAME: 'push', GITHUB_SHA: '0123456789', GITHUB_REF_NAME: 'main', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' }
    expect(summaryMarkdown(PASSED, env)).toContain(
      '| Triggered by | octo\\|cat, on push, commit `0123456`, ref `main`, [run 42](https://github.com/o/r/actions/runs/42) |'
    )
  })

  // BUG: code() only swaps backticks; a pipe or new line in an ID or version from the API is put in
  // a table cell unescaped. GFM splits rows on pipes even inside code spans, so the row breaks.
  const hostile = ['case|1', 'case\n2']
  it.each(hostile)('keeps the failing-cases table intact for a test case ID %j', (testCaseId) => {
    const reports = [report('r1', { state: 'failed', failedCases: [testCase(testCaseId, 'failed')] })]
    expectTablesIntact(summaryMarkdown(record({ testRunIds: ['r1'], reports }), {}))
  })
  it.each(hostile)('keeps the deployments table intact for a version %j', (version) => {
    expectTablesIntact(summaryMarkdown(record({ operation: 'list', deployments: [deployment('dep-1', version)] }), {}))
  })
  it.each(hostile)('keeps the active table intact for a deployment ID %j', (id) => {
    const activeBefore = { sandbox: deployment(id, 'v1'), 'pre-release': null, live: null }
    expectTablesIntact(summaryMarkdown(record({ operation: 'active', activeBefore }), {}))
  })
  it('shows the hostile strings still pass through cell() safely', () => {
    for (const text of hostile) expectTablesIntact(`| a |\n|---|\n| ${cell(text)} |`)
  })
})

describe('what the summary says was done', () => {
  const LOST = "POST /v1/agents/agent-1/deployments/publish failed: socket hang up. The server may still be acting on it, so it is not sent again: the outcome is unknown. Check the agent's deployments before running this step again"
  const UNKNOWN = "**unknown**: the write's outcome was lost; check the agent's deployments"
  const activeBefore = { sandbox: deployment('dep-1', 'v1'), 'pre-release': deployment('dep-0', 'v0', { environment: 'pre-release' }), live: null }
  /** The Environments table's row for each environment: its After cell. */
  const after = (step: StepRecord): Record<string, string> =>
    Object.fromEntries(
      summaryMarkdown(step, {})
        .split('\n')
        .map((line) => line.match(/^\| \**(sandbox|pre-release|live)\** \| [^|]+ \| (.+) \|$/))
        .filter((match) => match !== null)
        .map((match) => [match[1], match[2]])
    )
  const lost = (patch: Partial<StepRecord>): StepRecord => record({ activeBefore, previous: activeBefore.sandbox, ending: { kind: 'failed', reason: LOST, outcomeUnknown: true }, ...patch })

  it.each([
    ['publish', { operation: 'publish', environment: 'sandbox' }, ['sandbox']],
    ['promote', { operation: 'promote', environment: 'pre-release' }, ['pre-release']],
    ['rollback', { operation: 'rollback', environment: 'live' }, ['live']],
    // Unanswered, a merge may have landed in sandbox, or in live on a project with simplified deployments.
    ['merge, its answer lost', { operation: 'merge', environment: undefined, merge: { branchId: 'b-1', branchName: 'feat', resolved: [] } }, ['sandbox', 'live']],
    ['merge, the publish of its draft lost', { operation: 'merge', environment: undefined, merge: { branchId: 'b-1', branchName: 'feat', sequence: '7', resolved: [] } }, ['sandbox']],
    ['rollback-on-failure', { changed: true, deployment: deployment('dep-2', 'v2'), testRunIds: ['r1'], reports: [report('r1', { state: 'failed' })] }, ['sandbox']]
  ] as [string, Partial<StepRecord>, string[]][])('shows as unknown the environment a write of unknown outcome aimed at: %s', (_name, patch, unknown) => {
    const cells = after(lost(patch))
    expect(Object.keys(cells)).toEqual(['sandbox', 'pre-release', 'live'])
    for (const [environment, text] of Object.entries(cells)) expect([environment, text]).toEqual([environment, unknown.includes(environment) ? UNKNOWN : 'unchanged'])
    expectTablesIntact(summaryMarkdown(lost(patch), {}))
  })

  it('shows as unknown the rung of a release whose write was lost, and the rungs below as they ended', () => {
    const published = record({ activeBefore, changed: true, deployment: deployment('dep-2', 'v2'), verdict: { result: 'passed', passed: 3, failed: 0, errored: 0, total: 3 } })
    const promote = record({ operation: 'promote', environment: 'pre-release', ending: { kind: 'failed', reason: LOST, outcomeUnknown: true } })
    const release = record({ operation: 'release', environment: 'pre-release', rungs: [published, promote], ending: { kind: 'failed', reason: `The release stopped at pre-release: ${LOST}`, outcomeUnknown: true } })
    expect(after(release)).toEqual({ sandbox: '**`v2`** (`dep-2`)', 'pre-release': UNKNOWN, live: 'unchanged' })
  })

  it('leaves other failures as they were', () => {
    expect(after(lost({ ending: { kind: 'failed', reason: 'HTTP 400' } }))).toEqual({ sandbox: 'unchanged', 'pre-release': 'unchanged', live: 'unchanged' })
  })

  it.each([
    ['a refused downgrade', 'promote', 'Promoted 01a2 to pre-release', 'Refusing to promote deployment 01a2: it is older than what pre-release runs. Nothing was written.'],
    ['a merge conflict', 'merge', 'Merged branch feat into main', 'Branch feat conflicts with main, so nothing was merged or deployed.'],
    ['a refused publish', 'publish', 'Published the draft to sandbox', 'POST /v1/agents/agent-1/deployments/publish failed: HTTP 400'],
    ['a lost rollback', 'rollback', 'Rolled live back to dep-0', LOST],
    ['a cancel before the write', 'promote', 'Promoted 01a2 to pre-release', 'The run was cancelled']
  ] as const)('names no action a write never made: %s', (_name, operation, action, reason) => {
    const kind = reason === 'The run was cancelled' ? 'cancelled' : 'failed'
    const lines = summaryMarkdown(record({ operation, action, ending: { kind, reason } }), {}).split('\n')
    expect(lines).toContain(`**Why:** ${cell(reason)}`)
    expect(lines).not.toContain(`${action}.`)
  })

  it('names the action of a write that was made, or of a step that did not write, even where it failed', () => {
    expect(summaryMarkdown(FAILED, {}).split('\n')).toContain('Published the draft to sandbox.')
    const unchanged = record({ action: 'pre-release already runs version v2', changed: false, ending: { kind: 'failed', reason: 'no tests ran, and if-unchanged is fail' } })
    expect(summaryMarkdown(unchanged, {}).split('\n')).toContain('pre-release already runs version v2.')
    const waited = record({ operation: 'wait', action: 'Waited for 1 test run(s)', ending: { kind: 'failed', reason: 'The gate failed' } })
    expect(summaryMarkdown(waited, {}).split('\n')).toContain('Waited for 1 test run(s).')
  })
})

describe('a fleet', () => {
  const cancelled = (agentId: string): StepRecord => record({ ...PASSED, agentId, verdict: undefined, reports: [], ending: { kind: 'cancelled', reason: 'The run was cancelled' } })
  const headline = (records: StepRecord[]): string => fleetSummaryMarkdown(records, {}).split('\n')[0]

  it('reads as cancelled where a cancel stopped its agents and none failed', () => {
    const all = [cancelled('agent-a'), cancelled('agent-b')]
    expect(headline(all)).toBe('## PolyAI release gate: ⏹️ Cancelled: 0 of 2 agents passed')
    expect(failureMessage(all)).toBe('Of 2 agents, 2 cancelled. agent-a: The run was cancelled; agent-b: The run was cancelled')
    const some = [record({ ...PASSED, agentId: 'agent-a' }), cancelled('agent-b'), record({ agentId: 'agent-c', ending: { kind: 'not-started', reason: 'the run was cancelled' } })]
    expect(headline(some)).toBe('## PolyAI release gate: ⏹️ Cancelled: 1 of 3 agents passed')
    expect(failureMessage(some)).toBe('Of 3 agents, 1 cancelled, 1 not started. agent-b: The run was cancelled; agent-c: the run was cancelled')
  })

  it('reads as failed where any agent failed, and as passed where all passed', () => {
    const failed = [record({ ...FAILED, agentId: 'agent-a' }), cancelled('agent-b')]
    expect(headline(failed)).toBe('## PolyAI release gate: ❌ 0 of 2 agents passed')
    expect(failureMessage(failed)).toMatch(/^Of 2 agents, 1 failed, 1 cancelled\. agent-a: /)
    const passed = [record({ ...PASSED, agentId: 'agent-a' }), record({ ...PASSED, agentId: 'agent-b' })]
    expect(headline(passed)).toBe('## PolyAI release gate: ✅ 2 of 2 agents passed')
    expect(failureMessage(passed)).toBeUndefined()
  })

  it('names the version a dry run would move', () => {
    const planned = record({ operation: 'promote', environment: 'live', action: 'Would promote dep-1 (version v1) to live', changed: false, ending: { kind: 'planned' }, planned: { id: 'dep-1', version: 'v1' } })
    expect(fleetSummaryMarkdown([planned, { ...planned, agentId: 'agent-2' }], {})).toContain('| `agent-1` | 📝 Dry run, nothing written | live | `v1` | no |')
  })
})
