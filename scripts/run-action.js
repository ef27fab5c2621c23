// Runs the bundled action as a GitHub runner does: inputs as INPUT_* variables, the GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files, a child process. Shared by the demo, the end-to-end tests and the benchmark.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js')

/** The runner's file format: `name<<DELIMITER`, the value's lines, then `DELIMITER`. */
export function parseOutputFile(text) {
  const outputs = {}
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[index])
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value = []
      while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index])
      outputs[name] = value.join('\n')
      continue
    }
    const plain = /^([^=]+)=(.*)$/.exec(lines[index])
    if (plain) outputs[plain[1]] = plain[2]
  }
  return outputs
}

/**
 * What a runner gives a step: a work folder, empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and
 * an environment with the inputs as INPUT_* variables. Only PATH and HOME come from this process.
 */
export function runnerEnvironment(inputs, extraEnv = {}, prefix = 'polyai-gate-') {
  const workDir = mkdtempSync(join(tmpdir(), prefix))
  const outputFile = join(workDir, 'output')
  const summaryFile = join(workDir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: workDir,
    ...extraEnv
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(value)
  }
  return { workDir, outputFile, summaryFile, env }
}

/**
 * Starts the action; resolves with what a runner would see.
 * options: { node: path to a node binary, env: extra variables, onSpawn(child), cwd }
 */
export function runAction(inputs, options = {}) {
  const { workDir, outputFile, summaryFile, env } = runnerEnvironment(inputs, options.env)
  const started = Date.now()
  const child = spawn(options.node ?? process.execPath, [BUNDLE], { env, cwd: options.cwd ?? workDir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  options.onSpawn?.(child)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const result = {
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        durationMs: Date.now() - started
      }
      rmSync(workDir, { recursive: true, force: true })
      resolve(result)
    })
  })
}
