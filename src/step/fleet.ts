import { failureOf, StepRecord } from './context.js'

/**
 * Runs one task per agent, at most `maxParallel` at once. With failFast, no new agent starts after
 * a failure; those are returned as not started. Each agent's record stands on its own.
 */
export async function forEachAgent(
  agentIds: string[],
  options: { maxParallel: number; failFast: boolean; signal: AbortSignal },
  runOne: (agentId: string) => Promise<StepRecord>,
  notStarted: (agentId: string, reason: string) => StepRecord
): Promise<StepRecord[]> {
  const records: StepRecord[] = new Array(agentIds.length)
  let next = 0
  let stopReason: string | undefined
  const worker = async (): Promise<void> => {
    while (next < agentIds.length) {
      const index = next++
      if (options.signal.aborted) stopReason ??= 'the run was cancelled'
      if (stopReason) {
        records[index] = notStarted(agentIds[index], stopReason)
        continue
      }
      records[index] = await runOne(agentIds[index])
      if (options.failFast && failureOf(records[index])) stopReason ??= `not started: fail-fast after ${agentIds[index]} failed`
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.maxParallel, agentIds.length) }, worker))
  return records
}
