// `npm run bench`: the schedule on a matrix of run shapes (virtual clock, the compiled src/gate),
// start-up over TLS, and real waits through the bundle against the emulator; writes
// docs/benchmarks.md and the chart docs/benchmarks-chart.svg.
//
//   npm run bench                  full run (~20 minutes)
//   npm run bench -- --quick       fewer repetitions, short real waits (a few minutes)
//   options: --out <file> (default docs/benchmarks.md), --node <binary> (default this node),
//            --only matrix,startup,waits (parts to run; the others are left out of the report)
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chartRows } from './report-matrix.js'
import { renderChart } from './chart.js'
import { oneWait } from './matrix.js'
import { quantile } from './stats.js'
import { caseEnds } from '../../emulator/run-shapes.js'
import { renderReport } from './report.js'
import { simulateMatrix } from './sim.js'
import { BUNDLE, canMeasureRss, useBundle } from './step.js'
import { benchStartup, REPO } from './startup.js'
import { compileGate } from './compile-gate.js'
import { loopbackRoundTrips, measureWait, spreadDurations } from './waits.js'
import { replayable } from './fake-api.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO, 'docs', 'benchmarks.md') },
    node: { type: 'string', default: process.execPath },
    only: { type: 'string', default: 'matrix,startup,waits' }
  }
})
const parts = new Set(args.only.split(',').map((part) => part.trim()))
const quick = args.quick
const nodeVersion = spawnSync(args.node, ['--version'], { encoding: 'utf8' }).stdout.trim()
const CASES = 30
const settings = {
  mode: quick ? 'quick (a developer\'s check, not the figures to quote)' : 'full',
  startupRounds: quick ? 5 : 15,
  baselineIntervalMs: 5000,
  matrix: {
    reps: quick ? 8 : 25,
    counts: [1, 4, 12, 30, 100],
    lengthsMs: quick ? [2000, 10_000, 30_000, 60_000, 600_000] : [2000, 10_000, 30_000, 60_000, 180_000, 600_000, 1_200_000],
    pollIntervalMs: 5000
  },
  scenarios: quick
    ? [
        { name: '1 run', runs: 1, cases: CASES, durationsMs: [20_000], reps: 1 },
        { name: '20 runs', runs: 20, cases: CASES, durationsMs: spreadDurations(20, 10_000, 20_000), reps: 1 },
        { name: '1 run, back-loaded, 12 cases', runs: 1, cases: 12, durationsMs: [20_000], shape: 'back-loaded', reps: 1 }
      ]
    : [
        { name: '1 run', runs: 1, cases: CASES, durationsMs: [60_000], reps: 3 },
        { name: '20 runs of 4 cases, 1–7 s', runs: 20, cases: 4, durationsMs: spreadDurations(20, 1000, 7000), reps: 3 },
        { name: '20 runs', runs: 20, cases: CASES, durationsMs: spreadDurations(20, 10_000, 60_000), reps: 3 },
        { name: '500 runs', runs: 500, cases: CASES, durationsMs: spreadDurations(500, 10_000, 60_000), rateLimit: 100, reps: 2 },
        { name: '1 run, back-loaded, 12 cases', runs: 1, cases: 12, durationsMs: [60_000], shape: 'back-loaded', reps: 2 },
        { name: '1 run, bursts, 30 cases', runs: 1, cases: 30, durationsMs: [60_000], shape: 'bursts', reps: 2 },
        { name: '4 runs, random, 12 cases', runs: 4, cases: 12, durationsMs: spreadDurations(4, 20_000, 60_000), shape: 'random', reps: 2 }
      ]
}
const log = (line) => console.log(line)
const hashOf = (path) => {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12)
  } catch {
    return 'missing'
  }
}
// dist/ may be rebuilt while the benchmark runs: run a snapshot taken now, so every figure describes one bundle.
const snapshotDir = mkdtempSync(join(tmpdir(), 'polyai-bench-dist-'))
cpSync(dirname(BUNDLE), join(snapshotDir, 'dist'), { recursive: true })
useBundle(join(snapshotDir, 'dist', 'index.js'))
const bundleAtStart = hashOf(join(snapshotDir, 'dist', 'index.js'))
process.on('exit', () => rmSync(snapshotDir, { recursive: true, force: true }))
const benchStarted = Date.now()
const startedIso = new Date().toISOString()
log(`polyai-release-gate benchmark, ${settings.mode}; node ${nodeVersion}`)
const results = { matrix: undefined, startup: undefined, waits: [] }

if (parts.has('matrix')) {
  log('\n[1/3] the schedule on the matrix of run shapes (virtual clock)')
  results.matrix = await simulateMatrix({ repo: REPO, ...settings.matrix, log })
}
if (parts.has('startup')) {
  log(`\n[2/3] start-up over TLS: ${settings.startupRounds} interleaved rounds`)
  results.startup = await benchStartup({ rounds: settings.startupRounds, node: args.node, log })
}
if (parts.has('waits')) {
  log('\n[3/3] real waits: the bundle (default poll-interval) vs the fixed 5 s baseline, against the emulator')
  const gate = await compileGate(REPO)
  // The replay on the virtual clock takes its round trips from the emulator's on this machine (the
  // matrix's are a runner's to the real API): where polls land decides what they see.
  const trips = await loopbackRoundTrips()
  results.waitsRoundTrips = { iqrMs: [quantile(trips, 0.25), quantile(trips, 0.75)], samples: trips.length }
  try {
    for (const scenario of settings.scenarios) {
      const entry = { scenario, action: [], baseline: [], simulated: [] }
      results.waits.push(entry)
      // The same runs on the virtual clock: the emulator's cases end every duration ÷ cases, or where
      // the shape puts them, with the seed the emulator gives each run (its place, from 1).
      const evenEnds = (durationMs) => Array.from({ length: scenario.cases }, (_, index) => Math.round(((index + 1) * durationMs) / scenario.cases))
      const specs = scenario.durationsMs.map((durationMs, index) => ({
        shape: scenario.shape ?? 'even',
        cases: scenario.cases,
        durationMs,
        ends: scenario.shape ? caseEnds(scenario.shape, { cases: scenario.cases, durationMs, seed: index + 1 }) : evenEnds(durationMs)
      }))
      for (let rep = 0; rep < scenario.reps; rep++) {
        // Alternate which poller goes first, so neither always gets the quieter machine.
        for (const poller of rep % 2 === 0 ? ['action', 'baseline'] : ['baseline', 'action']) {
          const baselinePhaseMs = Math.round(((rep + 0.5) / scenario.reps) * settings.baselineIntervalMs)
          const result = await measureWait(scenario, poller, { node: args.node, measureRss: canMeasureRss, baselinePhaseMs })
          entry[poller].push(result)
          log(`  ${scenario.name} rep ${rep + 1}/${scenario.reps} ${poller.padEnd(8)}: latency ${(result.latencyMs / 1000).toFixed(2)} s, ${result.runPolls} run polls${result.correct ? '' : `, NOT CORRECT: ${result.detail}`}`)
        }
      }
      // On the virtual clock the runs start as long before the wait as the emulator's did before the
      // action's first poll (less the schedule's first delay): the phase of every poll follows from it.
      const firstPolls = entry.action.map((result) => result.firstPollAfterMs).sort((a, b) => a - b)
      const createdBeforeMs = Math.max(0, firstPolls[Math.floor(firstPolls.length / 2)] - gate.schedule.firstPollDelay({ pollIntervalMs: 5000, maxDelayMs: 60_000 }))
      if (replayable(scenario)) for (let rep = 0; rep < 5; rep++) entry.simulated.push(await oneWait(gate.poller, specs, { seed: 101 + rep, pollIntervalMs: 5000, phase: 0.5, createdBeforeMs, roundTripMs: results.waitsRoundTrips.iqrMs }))
      entry.createdBeforeMs = createdBeforeMs
    }
  } finally {
    gate.dispose()
  }
}

const git = spawnSync('git', ['-C', REPO, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout?.trim() || 'unknown'
const environment = {
  date: startedIso,
  node: nodeVersion,
  platform: `${process.platform} ${process.arch}`,
  cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  git,
  bundle: `dist/index.js sha256 ${bundleAtStart}` + (hashOf(BUNDLE) === bundleAtStart ? '' : `; dist/ rebuilt since (now ${hashOf(BUNDLE)})`),
  benchSeconds: Math.round((Date.now() - benchStarted) / 1000),
  command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
}
const out = resolve(args.out)
mkdirSync(dirname(out), { recursive: true })
let chartFile
if (results.matrix) {
  chartFile = `${basename(out, '.md')}-chart.svg`
  writeFileSync(join(dirname(out), chartFile), renderChart(chartRows(results.matrix)))
}
writeFileSync(out, renderReport({ settings, environment, results, chartFile }))
const raw = join(tmpdir(), 'polyai-bench-results.json')
writeFileSync(raw, JSON.stringify({ settings, environment, results }, null, 1))
log(`\nWrote ${out} (raw results: ${raw}) in ${environment.benchSeconds} s`)
