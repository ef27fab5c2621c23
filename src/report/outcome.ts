import { failureOf, StepRecord } from '../step/context.js'

/** A step's status, read from its record in one place: the summary, `results` and the exit code agree. */

export type StepStatus = 'passed' | 'failed' | 'unchanged' | 'planned' | 'cancelled' | 'not-started'

export function statusOf(record: StepRecord): StepStatus {
  if (record.ending) return record.ending.kind
  if (record.verdict?.result === 'skipped' && record.changed === false) return 'unchanged'
  return 'passed'
}

/** The status in the `results` output, where a dry run and a no-op count as passed. */
export function resultStatus(record: StepRecord): 'passed' | 'failed' | 'cancelled' | 'not-started' {
  const status = statusOf(record)
  return status === 'unchanged' || status === 'planned' ? 'passed' : status
}

/** The step's failure message, where any agent did not pass: one agent's own, or one line per agent of a fleet. */
export function failureMessage(records: StepRecord[]): string | undefined {
  const failures = records.filter((record) => failureOf(record))
  if (failures.length === 0) return undefined
  if (records.length === 1) return failureOf(failures[0])
  const lines = failures.map((record) => `${record.agentId}: ${failureOf(record)}`)
  return `${failures.length} of ${records.length} agents failed. ${lines.join('; ')}`
}
