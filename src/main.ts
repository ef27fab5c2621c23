import { ApiClient } from './api/client.js'
import type { Operation } from './config.js'
import { CancelledError, isExpected } from './errors.js'
import { readConfig } from './inputs.js'
import { Context, Log, newRecord, StepRecord } from './operations/context.js'
import { promote } from './operations/promote.js'
import { publish } from './operations/publish.js'
import { active, list } from './operations/read.js'
import { rollback } from './operations/rollback.js'
import { wait } from './operations/wait.js'
import { summaryMarkdown } from './report/summary.js'
import * as runner from './runner.js'

const OPERATIONS: Record<Operation, (ctx: Context) => Promise<void>> = { list, active, publish, promote, rollback, wait }

/**
 * Reads the inputs, runs the operation, then reports: outputs, job summary, annotations, verdict.
 * `signal` cancels the step; `writeSignal` also abandons a write in flight (a second signal).
 */
export async function run(signal: AbortSignal = new AbortController().signal, writeSignal: AbortSignal = signal): Promise<void> {
  // Masked before anything else can log it.
  const apiKey = runner.getInput('api-key')
  if (apiKey) runner.setSecret(apiKey)
  const log = logFor(apiKey)

  let record: StepRecord | undefined
  let client: ApiClient | undefined
  try {
    const config = readConfig(runner.getInput, process.env)
    record = newRecord(config)
    client = new ApiClient({
      baseUrl: config.baseUrl,
      apiKey: config.apiKey,
      requestTimeoutMs: config.requestTimeoutMs,
      signal,
      writeSignal,
      debug: log.debug
    })
    const output = (name: string, value: string): void => runner.setOutput(name, value)
    await OPERATIONS[config.operation]({ config, client, signal, log, output, record })
    if (signal.aborted) throw new CancelledError()
  } catch (error) {
    if (record && (signal.aborted || error instanceof CancelledError)) {
      record.cancelled = true
      const stillGoing = record.reports.filter((report) => report.state === 'cancelled').map((report) => report.id)
      record.failure = `The run was cancelled${stillGoing.length > 0 ? `; test runs still going: ${stillGoing.join(', ')}` : ''}`
    } else if (isExpected(error)) {
      if (record) record.failure = error.message
      else return runner.setFailed(redact(error.message, apiKey))
    } else {
      // Unexpected: the stack helps whoever reports it.
      log.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
      const message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
      if (record) record.failure = message
      else return runner.setFailed(redact(message, apiKey))
    }
  } finally {
    client?.close()
  }
  await report(record, apiKey)
}

async function report(record: StepRecord, apiKey: string): Promise<void> {
  annotate(record)
  runner.appendSummary(redact(summaryMarkdown(record, process.env), apiKey))
  if (record.failure) runner.setFailed(redact(record.failure, apiKey))
}

/** A failed test case becomes an error annotation; a run that could not finish, a warning. */
function annotate(record: StepRecord): void {
  for (const run of record.reports) {
    for (const entry of run.failedCases.slice(0, 10)) {
      runner.error(`Test case ${entry.testCaseId} ${entry.status}`, `Test run ${run.id}: ${entry.testCaseId}`)
    }
    if (run.state === 'timed-out' || run.state === 'unreadable') {
      runner.warning(`Test run ${run.id} ${run.note ?? run.state}`, `Test run ${run.id}`)
    }
  }
}

/** The key is masked by the runner; this also keeps it out where no runner masks (local runs, echoed errors). */
function redact(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('***') : text
}

function logFor(apiKey: string): Log {
  return {
    info: (message) => runner.info(redact(message, apiKey)),
    warning: (message) => runner.warning(redact(message, apiKey)),
    error: (message, title) => runner.error(redact(message, apiKey), title),
    debug: (message) => runner.debug(redact(message, apiKey))
  }
}
