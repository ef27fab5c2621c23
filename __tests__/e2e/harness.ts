import { execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { expect } from '@jest/globals'
import { startEmulator, type AgentOptions, type Emulator } from '../../emulator/server.js'
import { runScenario, type Scenario } from '../../scripts/reliability/run-scenario.js'
import { runAction, type ActionResult, type RunOptions } from '../../scripts/run-action.js'

/** Shared by the end-to-end tests: the real bundle, as a runner starts it, against the real emulator. */

export const API_KEY = 'e2e-secret-key-7f3a9c'

/** Node 20 from the machine (not npm's node_modules/.bin, which holds Node 24), and Node 24 from the npm package. */
export function nodeBinaries(): { name: string; path: string }[] {
  const binaries: { name: string; path: string }[] = []
  const machineNode = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !dir.includes('node_modules'))
    .map((dir) => join(dir, 'node'))
    .find((candidate) => existsSync(candidate))
  const node24 = join(process.cwd(), 'node_modules', 'node', 'bin', 'node')
  for (const path of [machineNode, existsSync(node24) ? node24 : undefined]) {
    if (!path) continue
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
    if (!binaries.some((binary) => binary.name === version)) binaries.push({ name: version, path })
  }
  return binaries
}

export async function emulatorWith(agents: Record<string, AgentOptions> = {}): Promise<Emulator> {
  return startEmulator({ apiKey: API_KEY, agents })
}

/**
 * Short tests: cases of 60 ms, polls every 100 ms at first. Promote and rollback trigger runs here,
 * for the tests of the gate's mechanics; the platform as recorded (they trigger none) is the
 * emulator's default, which real-platform.test.ts and merge.test.ts use.
 */
export const QUICK_TESTS: AgentOptions = { testPlan: { all: { runs: 2, cases: 3, caseMs: 60 } }, triggers: { promote: true, rollback: true } }

/** The machine's own Node (20 here) unless a test names another. */
export const MACHINE_NODE = nodeBinaries()[0].path

export function run(emulator: Emulator, inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
  options = { node: MACHINE_NODE, ...options }
  return runAction(
    {
      'api-key': API_KEY,
      'agent-id': 'agent-1',
      'base-url': emulator.url,
      'poll-interval': '100ms',
      ...inputs
    },
    options
  )
}

/** What every run must hold: no key in any log, no stack trace, a contract the emulator accepted. */
export function expectClean(result: ActionResult, emulator?: Emulator): void {
  // The runner consumes `::add-mask::` and shows nothing of it; it must come before any other line.
  const lines = (result.stdout + result.stderr).split('\n')
  const masked = lines.findIndex((line) => line === `::add-mask::${API_KEY}`)
  if (masked >= 0) expect(masked).toBe(0)
  expect(lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(API_KEY)
  expect(result.summary).not.toContain(API_KEY)
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  if (emulator) expect(emulator.contractViolations).toEqual([])
}

/** The `::error::` lines a runner would turn into the step's failure message. */
export function errors(result: ActionResult): string[] {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error'))
    .map((line) => line.replace(/^::error[^:]*::/, ''))
}

/** A fault scenario against the bundle: every check held, no duplicate deployment, no key leaked. */
export async function expectSurvives(scenario: Scenario): Promise<void> {
  const outcome = await runScenario(scenario, { node: MACHINE_NODE })
  expect(outcome.problems).toEqual([])
  expect(outcome.duplicates).toBe(0)
  expect(outcome.leaks).toBe(0)
}

/**
 * Cancels as a runner does once a write to `path` is in flight: SIGINT, then (`twice`) SIGTERM 200 ms
 * later, which abandons the write.
 */
export function cancelDuring(emulator: Emulator, path: RegExp, { twice = true } = {}): (child: ChildProcess) => void {
  return (child) => {
    const watch = setInterval(() => {
      if (!emulator.requests.some((request) => request.method === 'POST' && path.test(request.path))) return
      clearInterval(watch)
      child.kill('SIGINT')
      if (twice) setTimeout(() => child.kill('SIGTERM'), 200)
    }, 10)
    child.on('exit', () => clearInterval(watch))
  }
}
