import type { TestCaseResult } from '../api/shapes.js'
import type { StepRecord } from '../step/context.js'

/** The step's annotations, a pure function of its records: a failed case is an error, a run that could not finish a warning. */

export interface Annotation {
  level: 'error' | 'warning'
  message: string
  title: string
}

/** At most this many failed cases per run: the summary's table holds the rest. */
const CASES_PER_RUN = 10

export function annotationsOf(records: StepRecord[]): Annotation[] {
  return records.flatMap((record) => {
    const agent = records.length > 1 ? `${record.agentId}: ` : ''
    return record.reports.flatMap((run) => [
      ...run.failedCases.slice(0, CASES_PER_RUN).map((entry): Annotation => ({
        level: 'error',
        message: `${agent}${caseLine(entry)}`,
        title: `${agent}Test run ${run.id}: ${entry.name}`
      })),
      ...(run.state === 'timed-out' || run.state === 'unreadable'
        ? [{ level: 'warning' as const, message: `${agent}Test run ${run.id} ${run.note ?? run.state}`, title: `${agent}Test run ${run.id}` }]
        : [])
    ])
  })
}

/** "Test case Booking (tc-3) failed: the agent gives the hours: it did not know; conversation conv-1". */
function caseLine(entry: TestCaseResult): string {
  const why = [...entry.failedAssertions, ...entry.functionFailures].slice(0, 3).join('; ')
  const id = entry.name === entry.testCaseId ? '' : ` (${entry.testCaseId})`
  return `Test case ${entry.name}${id} ${entry.status}${why ? `: ${why}` : ''}${entry.conversationId ? `; conversation ${entry.conversationId}` : ''}`
}
