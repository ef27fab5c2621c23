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

/**
 * A fleet's status: failed where any agent failed; else cancelled where the cancel stopped any agent
 * (one not started with none failed was kept from starting by the cancel, not by fail-fast); else passed.
 */
export function fleetStatus(records: StepRecord[]): 'passed' | 'failed' | 'cancelled' {
  const statuses = records.map(statusOf)
  if (statuses.includes('failed')) return 'failed'
  return statuses.some((status) => status === 'cancelled' || status === 'not-started') ? 'cancelled' : 'passed'
}

/** The step's failure message, where any agent did not pass: one agent's own, or one line per agent of a fleet. */
export function failureMessage(records: StepRecord[]): string | undefined {
  const failures = records.filter((record) => failureOf(record))
  if (failures.length === 0) return undefined
  if (records.length === 1) return failureOf(failures[0])
  const lines = failures.map((record) => `${record.agentId}: ${failureOf(record)}`)
  // Each ending counted as what it is: an agent fail-fast kept from starting did not fail.
  const counts = (['failed', 'cancelled', 'not-started'] as const)
    .map((status) => [status, records.filter((record) => statusOf(record) === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status === 'failed' ? 'failed' : status === 'cancelled' ? 'cancelled' : 'not started'}`)
  return `Of ${records.length} agents, ${counts.join(', ')}. ${lines.join('; ')}`
}
