import type { ApiClient } from '../api/client.js'
import type { Config } from '../config/config.js'
import type { GitHubMirror } from '../github/mirror.js'
import { CancelledError, isExpected } from '../errors.js'
import { OutputName, outputSink } from '../report/outputs.js'
import { Context, fail, newRecord, StepRecord } from './context.js'
import type { Log } from './log.js'
import { merge } from '../operations/merge.js'
import { promote } from '../operations/promote.js'
import { publish } from '../operations/publish.js'
import { active, list } from '../operations/read.js'
import { release } from '../operations/release.js'
import { rollback } from '../operations/rollback.js'
import { wait } from '../operations/wait.js'


export interface AgentRunDeps {
  client: ApiClient
  signal: AbortSignal
  log: Log
  github?: GitHubMirror
  /** Sends each output to the step at once (a single agent); a fleet's agents report through `results`. */
  output?: (name: OutputName, value: string) => void
}

/** Runs the operation for one agent. Its failure is caught into its record, so it never hides another agent's. */
export async function runForAgent(config: Config, agentId: string, deps: AgentRunDeps): Promise<StepRecord> {
  const agentConfig = { ...config, agentId }
  const record = newRecord(agentConfig)
  const outputs = outputSink(deps.output)
  try {
    const { client, signal, log, github } = deps
    await runOperation({ config: agentConfig, client, signal, log, outputs, record, github })
    if (deps.signal.aborted) throw new CancelledError()
  } catch (error) {
    if (deps.signal.aborted || error instanceof CancelledError) {
      const stillGoing = record.reports.filter((report) => report.state === 'cancelled').map((report) => report.id)
      record.ending = { kind: 'cancelled', reason: `The run was cancelled${stillGoing.length > 0 ? `; test runs still going: ${stillGoing.join(', ')}` : ''}` }
    } else if (isExpected(error)) {
      fail(record, error.message)
    } else {
      // Unexpected: the stack helps whoever reports it.
      deps.log.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
      fail(record, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return record
}

/** Each operation with its own configuration: the switch narrows it, so none asserts what readConfig checked. */
function runOperation(ctx: Context): Promise<void> {
  const { config } = ctx
  switch (config.operation) {
    case 'list':
      return list({ ...ctx, config })
    case 'active':
      return active({ ...ctx, config })
    case 'publish':
      return publish({ ...ctx, config })
    case 'merge':
      return merge({ ...ctx, config })
    case 'promote':
      return promote({ ...ctx, config })
    case 'rollback':
      return rollback({ ...ctx, config })
    case 'wait':
      return wait({ ...ctx, config })
    case 'release':
      return release({ ...ctx, config })
  }
}
