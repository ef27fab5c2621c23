import type { ApiClient } from '../api/client.js'
import type { Config, ConfigFor, Operation } from '../config/config.js'
import type { GitHubMirror } from '../github/mirror.js'
import { CancelledError, isExpected, UnknownOutcomeError } from '../errors.js'
import { OutputName, outputSink } from '../report/outputs.js'
import { Context, fail, failOn, isOutcomeUnknown, newRecord, StepRecord } from './context.js'
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
    await runOperation(agentConfig.operation, { config: agentConfig, client, signal, log, outputs, record, github, waitDeadline: {} })
    // A cancel that came once a write's outcome was lost (a release's rung) leaves that failure standing.
    if (deps.signal.aborted && !isOutcomeUnknown(record)) throw new CancelledError()
  } catch (error) {
    // A write of unknown outcome is reported as such even under a cancel: a change may have been made.
    if ((deps.signal.aborted || error instanceof CancelledError) && !(error instanceof UnknownOutcomeError)) {
      const stillGoing = record.reports.filter((report) => report.state === 'cancelled').map((report) => report.id)
      record.ending = { kind: 'cancelled', reason: `The run was cancelled${stillGoing.length > 0 ? `; test runs still going: ${stillGoing.join(', ')}` : ''}` }
    } else if (isExpected(error)) {
      failOn(record, error)
    } else {
      // Unexpected: the stack helps whoever reports it.
      deps.log.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
      fail(record, `Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return record
}

/** Each operation, given the configuration readConfig checked for it. */
const OPERATIONS: { [O in Operation]: (ctx: Context<ConfigFor<O>>) => Promise<void> } = { list, active, publish, merge, promote, rollback, wait, release }

/** The operation named by the config, with the config as its own: `O` ties the two together. */
function runOperation<O extends Operation>(operation: O, ctx: Context<ConfigFor<O>>): Promise<void> {
  return OPERATIONS[operation](ctx)
}
