// Runs the whole matrix on the virtual clock with the compiled poller, and judges every cell.
import { SHAPES } from '../../emulator/run-shapes.js'
import { compileGate, gateSourceHash } from './compile-gate.js'
import { multiRunCells, runCell, singleRunCells } from './matrix.js'
import { judge } from './targets.js'

/**
 * @param {{ repo: string, reps: number, counts: number[], lengthsMs: number[], pollIntervalMs: number, log: (line: string) => void }} options
 */
export async function simulateMatrix({ repo, reps, counts, lengthsMs, pollIntervalMs, log }) {
  const gate = await compileGate(repo)
  const started = Date.now()
  try {
    const single = []
    for (const cell of singleRunCells({ shapes: Object.keys(SHAPES), counts, lengthsMs })) {
      const results = await runCell(gate.poller, cell.name, cell.specs, { reps, pollIntervalMs })
      single.push({ ...cell, results, verdicts: judge({ ...cell, results }) })
    }
    const multi = []
    for (const cell of multiRunCells()) {
      const results = await runCell(gate.poller, cell.name, cell.specs, { reps, pollIntervalMs })
      const durationMs = Math.max(...cell.specs.map((spec) => spec.durationMs))
      multi.push({ ...cell, durationMs, results, verdicts: judge({ name: cell.name, durationMs, results }) })
    }
    log(`  ${single.length} single-run cells and ${multi.length} waits on several runs, ${reps} repetitions each, in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return { single, multi, reps, counts, lengthsMs, pollIntervalMs, sourceHash: gateSourceHash(repo) }
  } finally {
    gate.dispose()
  }
}
