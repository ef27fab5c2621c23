import type { Deployment } from '../api/shapes.js'
import { Environment, ENVIRONMENTS, Operation } from '../config/config.js'
import type { RunReport } from '../gate/verdict.js'
import { failureOf, isOutcomeUnknown, isPlanned, StepRecord } from '../step/context.js'
import { fleetStatus, StepStatus, statusOf } from './outcome.js'
import { GitHubEnv, runUrl } from '../config/run-url.js'

/** The job summary as markdown: a pure function of what the step did. */

const STATE_ICON: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  unreadable: '⚠️ unreadable',
  cancelled: '⏹️ still going',
  running: '⏳ running'
}

/** Table cells and inline text from the API: no pipes, no markup, no new lines. */
export function cell(text: string): string {
  return text.replace(/[\\`*{}[\]<>|#]/g, (char) => `\\${char}`).replace(/\s+/g, ' ')
}

/** A code span that stays inside its table cell: GitHub splits cells on a pipe even within code. */
function code(text: string | undefined): string {
  return text ? `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\`` : '—'
}

/** A change that reached an environment with no test run behind it, whatever the step's verdict. */
function untested(record: StepRecord): boolean {
  const steps = record.rungs ?? [record]
  // Unchanged too: a re-run finds the change its earlier attempt made, still ungated.
  return steps.some((step) => step.verdict?.result === 'none' && step.operation !== 'rollback')
}

const HEADLINE: Record<StepStatus, string> = {
  'not-started': '⏭️ Not started',
  cancelled: '⏹️ Cancelled',
  failed: '❌ Failed',
  planned: '📝 Dry run, nothing written',
  unchanged: '➖ Nothing to do',
  passed: '✅ Passed'
}

/** The operations that name their action before writing it. */
const WRITES: ReadonlySet<Operation> = new Set(['publish', 'promote', 'rollback', 'merge'])

/** What the step did, in one line; none for a write that ended before it changed anything (the "Why:" line tells). */
function actionLine(record: StepRecord): string | undefined {
  if (WRITES.has(record.operation) && failureOf(record) && record.changed === undefined) return undefined
  return record.action
}

function outcomeLine(record: StepRecord): string {
  const status = statusOf(record)
  if (status === 'passed' && record.warnings.length > 0) return '⚠️ Passed with warnings'
  return HEADLINE[status]
}

/** A step refused for its inputs, before any request: the error and that nothing was sent. */
export function inputErrorMarkdown(message: string): string {
  return ['## PolyAI release gate: ❌ Failed', '', `**Why:** ${cell(message)}`, '', 'Nothing was sent to the PolyAI API.', ''].join('\n')
}

export function summaryMarkdown(record: StepRecord, env: GitHubEnv): string {
  const lines: string[] = []
  lines.push(`## PolyAI release gate: ${outcomeLine(record)}`, '')
  if (record.rolledBackTo) {
    lines.push(
      `> [!WARNING]`,
      `> The gate failed, so ${record.environment} was **rolled back** to version ${code(record.rolledBackTo.version)} (new deployment ${code(record.rolledBackTo.id)}).`,
      ''
    )
  }
  if (untested(record)) {
    lines.push('> [!CAUTION]', `> **No test gated this deployment.** ${cell(record.gateNote ?? 'The call triggered no test run')}.`, '')
  }
  const failure = failureOf(record)
  if (failure) lines.push(`**Why:** ${cell(failure)}`, '')
  const action = actionLine(record)
  if (action) lines.push(`${cell(action)}.`, '')
  if (record.gateNote && !untested(record)) lines.push(`${cell(record.gateNote)}.`, '')

  lines.push('| | |', '|---|---|')
  lines.push(`| Agent | ${code(record.agentId)} |`)
  lines.push(`| Operation | ${record.operation} |`)
  if (record.environment) lines.push(`| Environment | ${record.environment} |`)
  if (record.deployment) {
    lines.push(`| Deployment | ${code(record.deployment.id)} |`)
    lines.push(`| Version | ${code(record.deployment.version)} |`)
  }
  if (record.previous !== undefined) {
    lines.push(`| Before | ${record.previous ? `${code(record.previous.version)} (deployment ${code(record.previous.id)})` : 'nothing active'} |`)
  }
  if (record.changed !== undefined) lines.push(`| Changed | ${record.changed ? 'yes' : 'no'} |`)
  if (record.merge) {
    lines.push(`| Branch | ${cell(record.merge.branchName)} (${code(record.merge.branchId)}) |`)
    if (record.merge.sequence) lines.push(`| Merge sequence | ${code(record.merge.sequence)} |`)
    if (record.merge.resolved.length > 0) lines.push(`| Conflicts resolved | ${record.merge.resolved.map(cell).join('; ')} |`)
  }
  const trigger = triggerLine(env)
  if (trigger) lines.push(`| Triggered by | ${trigger} |`)
  lines.push('')

  if (record.rungs) lines.push(...ladderTable(record.rungs), '')
  lines.push(...environmentsTable(record))
  if (record.activeBefore && record.operation === 'active') lines.push(...activeTable(record.activeBefore), '')
  if (record.deployments) lines.push(...deploymentsTable(record.deployments), '')
  lines.push(...testRunSection(record))
  if (record.warnings.length > 0) {
    lines.push('### Warnings', '', ...record.warnings.map((warning) => `- ${cell(warning)}`), '')
  }
  return lines.join('\n')
}

const RESULT_ICON: Record<string, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  cancelled: '⏹️ cancelled',
  none: '⚠️ no tests',
  skipped: '➖ not run'
}

/** Where a merge lands: the platform decides, sandbox or, on a project with simplified deployments, live. */
const MERGE_LANDS_IN: Environment[] = ['sandbox', 'live']

/** The environments a write of the step may have changed though its outcome was lost: those it aimed at. */
function lostIn(step: StepRecord): Environment[] {
  if (!isOutcomeUnknown(step)) return []
  // A merge whose answer never came has no environment yet; once answered, only the publish of its draft to sandbox is left.
  if (step.operation === 'merge' && !step.deployment) return step.merge?.sequence ? ['sandbox'] : MERGE_LANDS_IN
  return step.environment ? [step.environment] : []
}

/** The version active in each environment before the step and after it, from what the step did. */
function environmentsTable(record: StepRecord): string[] {
  const steps = record.rungs ?? [record]
  const before = steps[0]?.activeBefore
  if (!before || record.operation === 'active' || isPlanned(record)) return []
  const after: Record<string, Deployment | null> = { ...before }
  const lost = new Set<Environment>()
  for (const step of steps) {
    if (step.changed && step.deployment) after[step.deployment.environment] = step.deployment
    if (step.rolledBackTo) after[step.rolledBackTo.environment] = step.rolledBackTo
    for (const environment of lostIn(step)) lost.add(environment)
  }
  const version = (deployment: Deployment | null | undefined): string => (deployment ? code(deployment.version) : 'nothing')
  return [
    '### Environments',
    '',
    '| Environment | Before | After |',
    '|---|---|---|',
    ...ENVIRONMENTS.map((environment) => {
      if (lost.has(environment)) {
        return `| **${environment}** | ${version(before[environment])} | **unknown**: the write's outcome was lost; check the agent's deployments |`
      }
      const changed = before[environment]?.id !== after[environment]?.id
      return `| ${changed ? `**${environment}**` : environment} | ${version(before[environment])} | ${changed ? `**${version(after[environment])}** (${code(after[environment]?.id)})` : 'unchanged'} |`
    }),
    ''
  ]
}

/** "✅ passed (6/6)": a step's verdict in one table cell. */
function testsCell(record: StepRecord): string {
  if (!record.verdict) return ''
  const { result, passed, total } = record.verdict
  return `${RESULT_ICON[result] ?? result}${total > 0 ? ` (${passed}/${total})` : ''}`
}

/** A release's walk, one row a rung, lowest first. */
function ladderTable(rungs: StepRecord[]): string[] {
  return [
    '### The ladder',
    '',
    '| Rung | What happened | Version | Deployment | Before | Tests |',
    '|---|---|---|---|---|---|',
    ...rungs.map((rung) => {
      const failure = failureOf(rung)
      const what = failure ? `❌ ${cell(failure)}` : cell(rung.action ?? '')
      const before = rung.previous === undefined ? '' : rung.previous ? code(rung.previous.version) : 'nothing'
      return `| ${rung.environment ?? ''} | ${what}${rung.rolledBackTo ? ' (rolled back)' : ''} | ${code(rung.deployment?.version)} | ${code(rung.deployment?.id)} | ${before} | ${testsCell(rung)} |`
    })
  ]
}

const FLEET_HEADLINE = { passed: '✅', failed: '❌', cancelled: '⏹️ Cancelled:' }

/** A fleet: a row per agent, then each agent's own summary folded away. */
export function fleetSummaryMarkdown(records: StepRecord[], env: GitHubEnv): string {
  const notPassed = records.filter((record) => failureOf(record)).length
  const lines = [
    `## PolyAI release gate: ${FLEET_HEADLINE[fleetStatus(records)]} ${records.length - notPassed} of ${records.length} agents passed`,
    '',
    '| Agent | Result | Environment | Version | Changed | Tests | Note |',
    '|---|---|---|---|---|---|---|',
    ...records.map((record) => {
      const note = failureOf(record) ?? record.action ?? ''
      return `| ${code(record.agentId)} | ${outcomeLine(record)} | ${record.environment ?? ''} | ${code((record.deployment ?? record.planned)?.version)} | ${record.changed ? 'yes' : 'no'} | ${testsCell(record)} | ${cell(note)} |`
    }),
    ''
  ]
  for (const record of records) {
    if (record.ending?.kind === 'not-started') continue
    const body = summaryMarkdown(record, env).replace(/^(#{2,5}) /gm, '#$1 ')
    lines.push('<details>', `<summary>${cell(record.agentId)}</summary>`, '', body, '</details>', '')
  }
  return lines.join('\n')
}

function triggerLine(env: GitHubEnv): string {
  const parts: string[] = []
  if (env.GITHUB_ACTOR) parts.push(cell(env.GITHUB_ACTOR))
  if (env.GITHUB_EVENT_NAME) parts.push(`on ${cell(env.GITHUB_EVENT_NAME)}`)
  if (env.GITHUB_SHA) parts.push(`commit ${code(env.GITHUB_SHA.slice(0, 7))}`)
  if (env.GITHUB_REF_NAME || env.GITHUB_REF) parts.push(`ref ${code(env.GITHUB_REF_NAME || env.GITHUB_REF)}`)
  const run = runUrl(env)
  if (run) parts.push(`[run ${cell(env.GITHUB_RUN_ID!)}](${run})`)
  return parts.join(', ')
}

function activeTable(active: Record<string, Deployment | null>): string[] {
  return [
    '| Environment | Version | Deployment | Created |',
    '|---|---|---|---|',
    ...ENVIRONMENTS.map((environment) => {
      const deployment = active[environment]
      return deployment
        ? `| ${environment} | ${code(deployment.version)} | ${code(deployment.id)} | ${cell(deployment.createdAt)} |`
        : `| ${environment} | — | nothing active | |`
    })
  ]
}

function deploymentsTable(deployments: Deployment[]): string[] {
  if (deployments.length === 0) return ['No deployments.']
  return [
    '| Deployment | Version | Created | By | Message |',
    '|---|---|---|---|---|',
    ...deployments.map(
      (deployment) =>
        `| ${code(deployment.id)} | ${code(deployment.version)} | ${cell(deployment.createdAt)} | ${cell(deployment.createdBy)} | ${cell(deployment.message ?? '')} |`
    )
  ]
}

function duration(report: RunReport): string {
  if (report.durationMs === undefined) return ''
  if (report.durationMs < 10_000) return `${(report.durationMs / 1000).toFixed(1)}s`
  const seconds = Math.round(report.durationMs / 1000)
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`
}

function testRunSection(record: StepRecord): string[] {
  if (!record.verdict && record.testRunIds.length === 0) return []
  const lines = ['### Test runs', '']
  if (record.verdict?.result === 'skipped') {
    lines.push(record.testRunIds.length > 0 ? `Not waited on: ${record.testRunIds.map(code).join(', ')}.` : 'No tests ran.', '')
    return lines
  }
  if (record.testRunIds.length === 0) return [...lines, 'The call triggered no test runs.', '']
  const reported = new Map(record.reports.map((report) => [report.id, report]))
  lines.push('| Test run | Status | Passed | Failed | Errors | Cases | Duration |', '|---|---|---|---|---|---|---|')
  for (const id of record.testRunIds) {
    const report = reported.get(id)
    lines.push(
      report
        ? `| ${code(id)} | ${STATE_ICON[report.state] ?? report.state} | ${report.passed} | ${report.failed} | ${report.errored} | ${report.total} | ${duration(report)} |`
        : `| ${code(id)} | ${record.ending?.kind === 'cancelled' ? STATE_ICON.cancelled : '—'} | | | | | |`
    )
  }
  if (record.verdict) {
    const { passed, failed, errored, total } = record.verdict
    lines.push(`| **All** | **${record.verdict.result}** | ${passed} | ${failed} | ${errored} | ${total} | |`)
  }
  lines.push('')
  const failing = record.reports.flatMap((report) => report.failedCases.map((entry) => ({ run: report.id, entry })))
  if (failing.length > 0) {
    lines.push('#### Failing test cases', '', '| Test run | Test case | Status | What failed | Conversation |', '|---|---|---|---|---|')
    for (const { run, entry } of failing.slice(0, 100)) {
      const what = [...entry.failedAssertions, ...entry.functionFailures].map(cell).join('<br>')
      const name = entry.name === entry.testCaseId ? code(entry.testCaseId) : `${cell(entry.name)} (${code(entry.testCaseId)})`
      lines.push(`| ${code(run)} | ${name} | ${cell(entry.status)} | ${what} | ${code(entry.conversationId)} |`)
    }
    if (failing.length > 100) lines.push(`| | …and ${failing.length - 100} more | | | |`)
    lines.push('')
  }
  const notes = record.reports.filter((report) => report.note)
  if (notes.length > 0) lines.push(...notes.map((report) => `- ${code(report.id)}: ${cell(report.note!)}`), '')
  return lines
}
