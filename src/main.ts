import { runForAgent } from './step/agent-step.js'
import { ApiClient } from './api/client.js'
import { redact } from './api/redact.js'
import { forEachAgent } from './step/fleet.js'
import { GitHubMirror } from './github/mirror.js'
import { readConfig } from './config/inputs.js'
import { newRecord, StepRecord } from './step/context.js'
import type { Log } from './step/log.js'
import { annotationsOf } from './report/annotations.js'
import { failureMessage } from './report/outcome.js'
import type { OutputName } from './report/outputs.js'
import { resultJson } from './report/results.js'
import { fleetSummaryMarkdown, inputErrorMarkdown, summaryMarkdown } from './report/summary.js'
import * as runner from './step/runner.js'

/**
 * Reads the inputs, runs the operation for every agent, then reports: outputs, job summary,
 * annotations, verdict. `signal` cancels the step; `writeSignal` also abandons a write in flight.
 */
export async function run(signal: AbortSignal = new AbortController().signal, writeSignal: AbortSignal = signal): Promise<void> {
  // Masked before anything else can log it.
  const apiKey = runner.getInput('api-key')
  if (apiKey) runner.setSecret(apiKey)
  const log = logFor(apiKey, '')

  let config
  try {
    config = readConfig(runner.getInput, process.env)
  } catch (error) {
    // Reported as any failed step is, so a later `if: always()` step has its summary and results.
    const message = redact(error instanceof Error ? error.message : String(error), apiKey)
    runner.setOutput('results', JSON.stringify([{ agentId: null, operation: null, status: 'failed', error: message }]))
    runner.appendSummary(inputErrorMarkdown(message))
    return runner.setFailed(message)
  }
  if (config.github) runner.setSecret(config.github.token)
  const github = config.github && !config.dryRun ? new GitHubMirror(config.github, process.env, log, signal, config.agentIds.length > 1) : undefined
  // One client for every agent: one connection pool, one rate limit.
  // Outputs are not masked by the runner: a later step may post them anywhere.
  const output = (name: OutputName, value: string): void => runner.setOutput(name, redact(value, apiKey))
  const client = new ApiClient({ baseUrl: config.baseUrl, apiKey, requestTimeoutMs: config.requestTimeoutMs, signal, writeSignal, debug: log.debug })
  let records: StepRecord[]
  try {
    if (config.agentIds.length === 1) {
      records = [await runForAgent(config, config.agentId, { client, signal, log, github, output })]
    } else {
      log.info(`Running ${config.operation} for ${config.agentIds.length} agents, at most ${config.maxParallel} at once`)
      records = await forEachAgent(
        config.agentIds,
        { maxParallel: config.maxParallel, failFast: config.failFast, signal },
        (agentId) => runForAgent(config, agentId, { client, signal, github, log: logFor(apiKey, `[${agentId}] `) }),
        (agentId, reason) => ({ ...newRecord({ ...config, agentId }), ending: { kind: 'not-started', reason } })
      )
    }
  } finally {
    client.close()
  }
  output('results', JSON.stringify(records.map(resultJson)))
  report(records, apiKey)
}

function report(records: StepRecord[], apiKey: string): void {
  for (const { level, message, title } of annotationsOf(records)) runner[level](redact(message, apiKey), redact(title, apiKey))
  const markdown = records.length === 1 ? summaryMarkdown(records[0], process.env) : fleetSummaryMarkdown(records, process.env)
  runner.appendSummary(redact(markdown, apiKey))
  const failure = failureMessage(records)
  if (failure) runner.setFailed(redact(failure, apiKey))
}

function logFor(apiKey: string, prefix: string): Log {
  return {
    info: (message) => runner.info(redact(prefix + message, apiKey)),
    warning: (message) => runner.warning(redact(prefix + message, apiKey)),
    debug: (message) => runner.debug(redact(prefix + message, apiKey))
  }
}
