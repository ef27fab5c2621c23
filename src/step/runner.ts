import * as core from '@actions/core'

/**
 * The step's side of the runner, through @actions/core: inputs, log lines, annotations, masking,
 * outputs and the job summary. What this layer adds: log lines that may carry the API's
 * text cannot act as workflow commands, and the summary is written in order, once per call.
 */

// trimWhitespace is core's default; said explicitly because @github/local-action's stub trims only when asked.
export const getInput = (name: string): string => core.getInput(name, { trimWhitespace: true })

/** A plain log line. A line of it that looks like a workflow command is defused, since text may come from the API. */
export function info(message: string): void {
  core.info(message.replace(/^(::|##\[)/gm, ' $1'))
}

// Annotations and debug lines escape their message (newlines included), so they need no defusing.
export const debug = (message: string): void => core.debug(message)
export const warning = (message: string, title?: string): void => core.warning(message, title ? { title } : {})
export const error = (message: string, title?: string): void => core.error(message, title ? { title } : {})

/** Masks the value in every later log line the runner shows. */
export const setSecret = (value: string): void => core.setSecret(value)

export const setOutput = (name: string, value: string): void => core.setOutput(name, value)

// core.summary is one shared buffer: a second write started before the first ends would write the
// first's text again, so each call waits for the one before it.
let summaryWritten: Promise<void> = Promise.resolve()

/** Appends to the job summary; a run outside a runner has none and skips it. A failed write only warns. */
export function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return summaryWritten
  summaryWritten = summaryWritten
    .then(async () => {
      await core.summary.addRaw(markdown, true).write()
    })
    .catch((failure: unknown) => {
      core.summary.emptyBuffer()
      warning(`The job summary could not be written: ${(failure as Error | undefined)?.message ?? String(failure)}`)
    })
  return summaryWritten
}

/** An error annotation, and exit code 1 once the process ends by itself. */
export const setFailed = (message: string): void => core.setFailed(message)
