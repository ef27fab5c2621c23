// `npm run bench`: cold start, verdict latency and request counts of the bundled action against
// the local emulator, side by side with a bare node and a fixed-interval baseline poller, plus a
// simulated schedule for runs too long to wait on; writes docs/benchmarks.md.
//
//   npm run bench                  full run (~20 minutes)
//   npm run bench -- --quick       1 repetition, 10–20 s runs (~3 minutes), for a fast check
//   options: --out <file> (default docs/benchmarks.md), --node <binary> (default this node),
//            --only startup,waits,sim (parts to run; the others are left out of the report)
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { renderReport } from './report.js'
import { simulateAll, sourceDrift } from './simulate.js'
import { BUNDLE, canMeasureRss, useBundle } from './step.js'
import { benchStartup, REPO } from './startup.js'
import { measureWait, spreadDurations } from './waits.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO, 'docs', 'benchmarks.md') },
    node: { type: 'string', default: process.execPath },
    only: { type: 'string', default: 'startup,waits,sim' }
  }
})
const parts = new Set(args.only.split(',').map((part) => part.trim()))
const quick = args.quick
const nodeBinary = args.node
const nodeVersion = spawnSync(nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim()

const CASES = 30
const POLL_INTERVAL = '1s'
const settings = {
  mode: quick ? 'quick (--quick: 1 repetition, short runs; a smoke check, not the figures to quote)' : 'full',
  startupRounds: quick ? 5 : 15,
  pollInterval: POLL_INTERVAL,
  baselineIntervalMs: 5000,
  baselineConcurrency: 10,
  cases: CASES,
  scenarios: quick
    ? [
        { name: '1 run', runs: 1, cases: CASES, durationsMs: [20_000], reps: 1 },
        { name: '20 runs', runs: 20, cases: CASES, durationsMs: spreadDurations(20, 10_000, 20_000), reps: 1 },
        { name: '500 runs', runs: 500, cases: CASES, durationsMs: spreadDurations(500, 10_000, 20_000), rateLimit: 100, reps: 1 }
      ]
    : [
        { name: '1 run', runs: 1, cases: CASES, durationsMs: [60_000], reps: 3 },
        { name: '20 runs', runs: 20, cases: CASES, durationsMs: spreadDurations(20, 10_000, 60_000), reps: 3 },
        { name: '500 runs', runs: 500, cases: CASES, durationsMs: spreadDurations(500, 10_000, 60_000), rateLimit: 100, reps: 2 }
      ],
  simulation: { durationsMs: [60_000, 600_000], intervalsMs: [1000, 5000], cases: CASES, baselineMs: 5000 }
}

const log = (line) => console.log(line)
/** sha256 of a bundle file, short. @param {string} path */
const hashOf = (path) => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12)
  } catch {
    return 'missing'
  }
}
// dist/ may be rebuilt while the benchmark runs (it takes ~17 minutes): run a snapshot taken now, so
// every figure describes the same bundle.
const snapshotDir = mkdtempSync(join(tmpdir(), 'polyai-bench-dist-'))
cpSync(dirname(BUNDLE), join(snapshotDir, 'dist'), { recursive: true })
const snapshot = join(snapshotDir, 'dist', 'index.js')
useBundle(snapshot)
const bundleAtStart = hashOf(snapshot)
process.on('exit', () => rmSync(snapshotDir, { recursive: true, force: true }))
const benchStarted = Date.now()
const startedIso = new Date().toISOString()
log(`polyai-release-gate benchmark, ${settings.mode}; node ${nodeVersion}; peak RSS ${canMeasureRss ? 'via /usr/bin/time' : 'not measured'}`)

const results = { startup: undefined, waits: [], simulation: undefined }

if (parts.has('startup')) {
  log(`\n[1/3] cold start: ${settings.startupRounds} interleaved rounds`)
  results.startup = await benchStartup({ rounds: settings.startupRounds, node: nodeBinary, log })
}

if (parts.has('waits')) {
  log('\n[2/3] waits: action (poll-interval 1s) vs the 5 s fixed-interval baseline')
  for (const scenario of settings.scenarios) {
    const entry = { scenario, action: [], baseline: [] }
    results.waits.push(entry)
    for (let rep = 0; rep < scenario.reps; rep++) {
      // Alternate which poller goes first, so neither always gets the quieter machine.
      const order = rep % 2 === 0 ? ['action', 'baseline'] : ['baseline', 'action']
      for (const poller of order) {
        const started = Date.now()
        // The baseline's first poll comes at a different phase of its 5 s grid each repetition.
        const baselinePhaseMs = Math.round(((rep + 0.5) / scenario.reps) * settings.baselineIntervalMs)
        const result = await measureWait(scenario, poller, { node: nodeBinary, pollInterval: POLL_INTERVAL, measureRss: canMeasureRss, baselinePhaseMs })
        entry[poller].push(result)
        log(`  ${scenario.name} rep ${rep + 1}/${scenario.reps} ${poller.padEnd(8)}: latency ${(result.latencyMs / 1000).toFixed(2)} s, ` +
          `${result.runPolls} run polls, ${result.totalRequests} requests, ${result.throttled} throttled, ` +
          `wait ${(result.waitMs / 1000).toFixed(1)} s (floor ${(result.floorMs / 1000).toFixed(1)} s, tight ${(result.tightFloorMs / 1000).toFixed(1)} s)` +
          `${Number.isFinite(result.peakRssKb) ? `, peak RSS ${(result.peakRssKb / 1024).toFixed(0)} MiB` : ''}` +
          `${result.correct ? '' : `, NOT CORRECT: ${result.detail}`} [${((Date.now() - started) / 1000).toFixed(0)} s]`)
      }
    }
  }
}

if (parts.has('sim')) {
  log('\n[3/3] simulated schedule (virtual clock)')
  results.simulation = { rows: simulateAll(settings.simulation), drift: sourceDrift(REPO) }
  if (results.simulation.drift.changed.length) {
    log(`  WARNING: ${results.simulation.drift.changed.join(', ')} changed in src/ since scripts/bench/simulate.js was ported; re-check the port`)
  }
}

const git = spawnSync('git', ['-C', REPO, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout?.trim() || 'unknown'
const environment = {
  date: startedIso,
  node: nodeVersion,
  nodeBinary,
  platform: `${process.platform} ${process.arch}`,
  cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  git,
  bundle: `a snapshot of dist/ taken at the start (dist/index.js sha256 ${bundleAtStart})` +
    (hashOf(BUNDLE) === bundleAtStart ? '' : `; dist/ has been rebuilt since (now ${hashOf(BUNDLE)})`),
  canMeasureRss,
  benchSeconds: Math.round((Date.now() - benchStarted) / 1000),
  command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
}

const markdown = renderReport({ settings, environment, results })
const out = resolve(args.out)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, markdown)
const raw = join(tmpdir(), 'polyai-bench-results.json')
writeFileSync(raw, JSON.stringify({ settings, environment, results }, null, 1))
log(`\nWrote ${out} (raw results: ${raw}) in ${environment.benchSeconds} s`)
