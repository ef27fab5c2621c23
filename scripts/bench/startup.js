// Cold start over TLS, as the real API is reached: `node dist/index.js` (operation: active) against
// the emulator behind https, interleaved with a bare `node -e 0`, the floor (a dependency-free script
// making the same request and writing the same outputs), the peer (the same step on @actions/core and
// @actions/http-client, bundled with ncc), and bare imports of each part, so every part's cost shows.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../../emulator/server.js'
import { median, summary } from './stats.js'
import { currentBundle, runStep, timeCommand } from './step.js'
import { startTlsFront } from './tls-front.js'

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const PARTS = ['node:https', '@actions/core', '@actions/http-client']
const HERE = dirname(fileURLToPath(import.meta.url))
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

/** Bundles scripts/bench/startup-peer.js with ncc, as an action on the toolkit is built. */
function buildPeer() {
  const out = mkdtempSync(join(tmpdir(), 'polyai-bench-peer-'))
  execFileSync(process.execPath, [join(REPO, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', join(HERE, 'startup-peer.js'), '-o', out, '--quiet'], { cwd: REPO, stdio: 'ignore' })
  return { bundle: join(out, 'index.js'), dispose: () => rmSync(out, { recursive: true, force: true }) }
}

/** @param {{ rounds: number, node: string, log: (line: string) => void }} options */
export async function benchStartup({ rounds, node, log }) {
  const emulator = await startEmulator({ apiKey: API_KEY })
  for (const environment of ['sandbox', 'pre-release', 'live']) emulator.seedDeployment(AGENT, environment)
  const front = await startTlsFront(emulator.url)
  const peer = buildPeer()
  const inputs = { 'api-key': API_KEY, 'agent-id': AGENT, 'base-url': front.url, operation: 'active' }
  const env = { NODE_EXTRA_CA_CERTS: front.caFile }
  const step = (script) => async () => {
    const result = await runStep(inputs, { node, env, script })
    const ok = result.code === 0 && result.outputs.changed === 'false' && Boolean(result.outputs['active-deployments'])
    return { ms: result.wallMs, ok, detail: result.stdout + result.stderr }
  }
  const plain = (args) => async () => {
    const result = await timeCommand(node, args, { cwd: REPO })
    return { ms: result.ms, ok: result.code === 0, detail: result.stderr }
  }
  /** @type {{ name: string, label: string, run: () => Promise<{ ms: number, ok: boolean, detail?: string }> }[]} */
  const commands = [
    { name: 'bare', label: '`node -e 0`', run: plain(['-e', '0']) },
    { name: 'floor', label: 'floor: scripts/bench/startup-floor.js (node:https, same request and outputs)', run: step(join(HERE, 'startup-floor.js')) },
    { name: 'bundle', label: '`node dist/index.js` (operation: active)', run: step(undefined) },
    { name: 'peer', label: 'peer: @actions/core + @actions/http-client, ncc bundle', run: step(peer.bundle) },
    ...PARTS.map((part) => ({ name: part, label: `\`await import('${part}')\` only`, run: plain(['--input-type=module', '-e', `await import('${part}')`]) }))
  ]
  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(commands.map((command) => [command.name, []]))
  /** @type {Record<string, number[]>} per-round ratios over the floor */
  const overFloor = { bundle: [], peer: [] }
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
      for (const name of ['bundle', 'peer']) if (thisRound[name] && thisRound.floor) overFloor[name].push(thisRound[name] / thisRound.floor)
      log(`  startup round ${round + 1}/${rounds}: bare ${thisRound.bare?.toFixed(0)} ms, floor ${thisRound.floor?.toFixed(0)} ms, bundle ${thisRound.bundle?.toFixed(0)} ms, peer ${thisRound.peer?.toFixed(0)} ms`)
    }
  } finally {
    peer.dispose()
    await front.close()
    await emulator.close()
  }
  const medianOf = (name) => median(times[name])
  const rows = commands.map((command) => {
    const stats = summary(times[command.name])
    return { name: command.name, label: command.label, stats, overBareMs: stats.median - medianOf('bare'), overFloorMs: stats.median - medianOf('floor') }
  })
  return { rounds, rows, overFloor, failures, dist: distFiles() }
}
