import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'
import { delimiterFor } from './ids.js'

/**
 * The GitHub runner's protocol: inputs from INPUT_* variables, workflow commands on stdout, outputs
 * and the job summary in the files the runner names. The same wire format as @actions/core (a test
 * holds the two side by side); written here because importing @actions/core also evaluates its OIDC
 * client, @actions/http-client and undici, which more than doubles the step's start-up time.
 */

export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

export function command(name: string, properties: Record<string, string | undefined>, message: string): void {
  const given = Object.entries(properties).filter(([, value]) => value)
  const props = given.length > 0 ? ` ${given.map(([key, value]) => `${key}=${escapeProperty(value!)}`).join(',')}` : ''
  process.stdout.write(`::${name}${props}::${escapeData(message)}${EOL}`)
}

/** A plain log line. A line of it that looks like a workflow command is defused, since text may come from the API. */
export function info(message: string): void {
  process.stdout.write(`${message.replace(/^(::|##\[)/gm, ' $1')}${EOL}`)
}

export const debug = (message: string): void => command('debug', {}, message)
export const warning = (message: string, title?: string): void => command('warning', { title }, message)
export const error = (message: string, title?: string): void => command('error', { title }, message)

/** Masks the value in every later log line the runner shows. */
export const setSecret = (value: string): void => command('add-mask', {}, value)

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT
  if (!file) return command('set-output', { name }, value)
  const delimiter = delimiterFor(name, value)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
}

/** Appends to the job summary; a run outside a runner has none and skips it. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (file) appendFileSync(file, `${markdown}${EOL}`, 'utf8')
}

export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}
