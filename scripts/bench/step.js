// Starts the bundled action as a runner does (the same environment as scripts/run-action.js:
// INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a child process), but with what
// the benchmark needs on top: the exact moment the process exited, and its peak RSS when it runs
// under /usr/bin/time. Also spawns plain commands for the cold-start comparison.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BUNDLE, parseOutputFile, runnerEnvironment } from '../run-action.js'

export { BUNDLE }

/** The bundle the benchmark runs: a snapshot of dist/ taken at its start, since dist/ may be rebuilt meanwhile. */
let bundle = BUNDLE
/** @param {string} path */
export function useBundle(path) {
  bundle = path
}
export const currentBundle = () => bundle

const TIME = '/usr/bin/time'

/** Whether peak RSS can be measured: GNU time with -f %M -o file. */
export const canMeasureRss = (() => {
  if (!existsSync(TIME)) return false
  const dir = mkdtempSync(join(tmpdir(), 'polyai-bench-'))
  try {
    const file = join(dir, 'rss')
    const result = spawnSync(TIME, ['-f', '%M', '-o', file, process.execPath, '-e', '0'], { stdio: 'ignore' })
    return result.status === 0 && /^\d+\s*$/m.test(readFileSync(file, 'utf8'))
  } catch {
    return false
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})()

/**
 * Runs a command to its end; resolves with its wall time from spawn to exit (ms, hrtime).
 * @param {string} command @param {string[]} args @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export function timeCommand(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stdout.resume()
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      child.on('close', () => resolve({ ms, code, stderr }))
    })
  })
}

/**
 * Runs dist/index.js with these inputs.
 * options: { node, env, measureRss, script (another script run the same way, default the bundle) }
 * Resolves with { code, stdout, stderr, outputs, spawnedAt, exitedAt (Date.now() ms), wallMs, peakRssKb }.
 * @param {Record<string, string | undefined>} inputs
 * @param {{ node?: string, env?: Record<string, string>, measureRss?: boolean, script?: string }} [options]
 */
export function runStep(inputs, options = {}) {
  const { workDir, outputFile, env } = runnerEnvironment(inputs, options.env, 'polyai-bench-')
  const rssFile = join(workDir, 'rss')
  const node = options.node ?? process.execPath
  const measureRss = Boolean(options.measureRss && canMeasureRss)
  const script = options.script ?? bundle
  const [command, args] = measureRss ? [TIME, ['-f', '%M', '-o', rssFile, node, script]] : [node, [script]]
  const spawnedAt = Date.now()
  const started = process.hrtime.bigint()
  const child = spawn(command, args, { env, cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    let exitedAt = 0
    let wallMs = 0
    child.on('error', reject)
    child.on('exit', () => {
      exitedAt = Date.now()
      wallMs = Number(process.hrtime.bigint() - started) / 1e6
    })
    child.on('close', (code) => {
      let peakRssKb = NaN
      if (measureRss) {
        const match = /^(\d+)\s*$/m.exec(readFileSync(rssFile, 'utf8'))
        if (match) peakRssKb = Number(match[1])
      }
      const result = {
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        spawnedAt,
        exitedAt,
        wallMs,
        peakRssKb
      }
      rmSync(workDir, { recursive: true, force: true })
      resolve(result)
    })
  })
}
