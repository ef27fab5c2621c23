// Cold start: `node dist/index.js` for `operation: active` against the in-process emulator,
// interleaved with a bare `node -e 0` and with a bare import of each part a bundle of the
// @actions toolkit is made of, so that each part's cost shows next to the whole.
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../../emulator/server.js'
import { median, summary } from './stats.js'
import { currentBundle, runStep, timeCommand } from './step.js'

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const PARTS = ['@actions/core', '@actions/http-client', '@actions/http-client/lib/proxy', 'undici', '@actions/github']
/** Not a package, but what a real (https) base URL loads on top: the emulator here is plain http. */
export const TLS_PART = 'node:https'

const AGENT = 'agent-bench'
const API_KEY = 'bench-key-not-a-secret'

/** What dist/ holds (the snapshot the benchmark runs): every file, with its size. */
export function distFiles() {
  const root = dirname(currentBundle())
  const files = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.push({ path: join('dist', relative(root, path)), bytes: statSync(path).size })
    }
  }
  walk(root)
  return files.sort((a, b) => a.path.localeCompare(b.path))
}

/**
 * @param {{ rounds: number, node: string, log: (line: string) => void }} options
 */
export async function benchStartup({ rounds, node, log }) {
  const emulator = await startEmulator({ apiKey: API_KEY })
  for (const environment of ['sandbox', 'pre-release', 'live']) emulator.seedDeployment(AGENT, environment)
  const inputs = { 'api-key': API_KEY, 'agent-id': AGENT, 'base-url': emulator.url, operation: 'active' }

  /** @type {{ name: string, label: string, run: () => Promise<{ ms: number, ok: boolean, detail?: string }> }[]} */
  const commands = [
    {
      name: 'bare',
      label: '`node -e 0`',
      run: async () => {
        const result = await timeCommand(node, ['-e', '0'], { cwd: REPO })
        return { ms: result.ms, ok: result.code === 0, detail: result.stderr }
      }
    },
    {
      name: 'bundle',
      label: '`node dist/index.js` (operation: active)',
      run: async () => {
        const result = await runStep(inputs, { node })
        return { ms: result.wallMs, ok: result.code === 0, detail: result.stdout + result.stderr }
      }
    },
    ...[...PARTS, TLS_PART].map((part) => ({
      name: part,
      label: `\`await import('${part}')\``,
      run: async () => {
        const result = await timeCommand(node, ['--input-type=module', '-e', `await import('${part}')`], { cwd: REPO })
        return { ms: result.ms, ok: result.code === 0, detail: result.stderr }
      }
    }))
  ]

  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(commands.map((command) => [command.name, []]))
  /** @type {number[]} */
  const roundRatios = []
  /** @type {Record<string, string>} */
  const failures = {}
  try {
    // One warm-up of each, not counted: the first spawn pays for filling the page cache.
    for (const command of commands) await command.run()
    for (let round = 0; round < rounds; round++) {
      // Rotate the order every round so no command always runs first (or right after another).
      const order = commands.map((_, index) => commands[(index + round) % commands.length])
      /** @type {Record<string, number>} */
      const thisRound = {}
      for (const command of order) {
        const result = await command.run()
        if (!result.ok) {
          failures[command.name] ??= (result.detail ?? '').trim().split('\n').slice(-3).join(' | ')
          continue
        }
        times[command.name].push(result.ms)
        thisRound[command.name] = result.ms
      }
      if (thisRound.bundle && thisRound.bare) roundRatios.push(thisRound.bundle / thisRound.bare)
      log(`  startup round ${round + 1}/${rounds}: bare ${thisRound.bare?.toFixed(0)} ms, bundle ${thisRound.bundle?.toFixed(0)} ms`)
    }
  } finally {
    await emulator.close()
  }

  const bareMedian = median(times.bare)
  const rows = commands.map((command) => {
    const stats = summary(times[command.name])
    return {
      name: command.name,
      label: command.label,
      stats,
      samples: times[command.name],
      overBareMs: command.name === 'bare' ? 0 : stats.median - bareMedian,
      ratio: stats.median / bareMedian
    }
  })
  return { rounds, rows, roundRatios, failures, dist: distFiles() }
}
