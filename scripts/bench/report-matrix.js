// The matrix part of docs/benchmarks.md: the targets, cell by cell, and the chart's data.
import { SHAPES } from '../../emulator/run-shapes.js'
import { FIXED_MS } from './matrix.js'
import { stats, tally } from './targets.js'

const s = (ms) => (ms / 1000).toFixed(2)
const duration = (ms) => (ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`)
const count = (value) => (Number.isInteger(value) ? `${value}` : value.toFixed(1))
const triple = (values, format = count) => {
  const t = stats(values)
  return `${format(t.median)} / ${format(t.p95)} / ${format(t.worst)}`
}

/** Why a target fails where it does: the reasons the README repeats. */
export const WHY = {
  'polls ≤ fixed 2 s': 'short runs (10–30 s) whose pace changes (front-loaded, random, jumps) overrun the predicted end and are polled at the close interval until the overrun is past the prediction\'s error: one poll more than a fixed 2 s poller',
  'lag ≤ max(2 s, 10%)': 'a run that speeds up after a steady stretch (back-loaded, jumps, bursts of few cases) can end inside a wait its steady pace made safe; and a 2 s blind wait plus a round trip is a little over 2 s',
  'lag p95 ≤ 2 s': 'the same: waits sized on a steady pace are longer than 2 s, so a run that changes pace within one of them is seen late; few cases leave the prediction unsure to the end',
  'polls ≤ ½ fixed 2 s': 'a run of 30 s gives too few polls to trust a pace before it is half over, and a pace not borne out is only allowed waits of a quarter of the run\'s age',
  '60 s: ≤ 12 polls': 'one case or four give no pace, or one not sure until late, so waits stay near a tenth of the run\'s age; front-loaded runs slow down and are polled through their overrun',
  '10 min: ≤ 40 polls': 'with one case or four the end cannot be foreseen: polls come by a tenth of the run\'s age, to keep the lag within 10%',
  'overrun: ≤ fixed 5 s polls': 'a run shorter than 50 s cannot wait 5 s between polls and keep its lag within max(2 s, 10%): there the every-shape lag target wins',
  'overrun: lag ≤ 10% of it': 'an overrun of a few seconds would need polls closer than the close interval, and closer than a fixed 5 s poller\'s: those targets win'
}

/** @param {any} matrix @param {(...lines: string[]) => void} push */
export function renderTargets(matrix, push) {
  const all = [...matrix.single, ...matrix.multi]
  const byTarget = tally(all)
  push('| target | cells it applies to | met | not met (first few) |', '|---|---|---|---|')
  for (const [id, entry] of byTarget) {
    const total = entry.met + entry.missed.length
    const missed = entry.missed.slice(0, 6).map((miss) => `${miss.name} (${miss.detail})`).join('; ')
    push(`| ${id} | ${total} | ${entry.met === total ? '✅' : '❌'} ${entry.met}/${total} | ${missed}${entry.missed.length > 6 ? `; … ${entry.missed.length - 6} more` : ''} |`)
  }
  push('')
  const failing = [...byTarget].filter(([, entry]) => entry.missed.length)
  if (failing.length) {
    push('Why the targets not met fail where they do (the README says the same):', '')
    for (const [id] of failing) push(`- **${id}**: ${WHY[id] ?? 'see the table below'}.`)
    push('')
  }
}

/** @param {any} matrix @param {(...lines: string[]) => void} push */
export function renderMatrix(matrix, push) {
  const header = `| run | action polls | action lag (s) | ${FIXED_MS.map((ms) => `fixed ${ms / 1000} s polls`).join(' | ')} | ${FIXED_MS.map((ms) => `fixed ${ms / 1000} s lag (s)`).join(' | ')} | targets |`
  const rule = `|---|---|---|${FIXED_MS.map(() => '---|').join('')}${FIXED_MS.map(() => '---|').join('')}---|`
  const row = (name, cell) => {
    const fixedPolls = FIXED_MS.map((ms) => triple(cell.results.map((r) => r.fixed[ms].polls)))
    const fixedLag = FIXED_MS.map((ms) => triple(cell.results.map((r) => r.fixed[ms].lagMs), s))
    const marks = cell.verdicts.map((v) => `${v.met ? '✅' : '❌'} ${v.id}${v.met ? '' : ` (${v.detail})`}`).join('<br>')
    push(`| ${name} | ${triple(cell.results.map((r) => r.polls))} | ${triple(cell.results.map((r) => r.lagMs), s)} | ${fixedPolls.join(' | ')} | ${fixedLag.join(' | ')} | ${marks} |`)
  }
  for (const shape of Object.keys(SHAPES)) {
    const cells = matrix.single.filter((cell) => cell.shape === shape)
    if (!cells.length) continue
    push(`### ${shape}: ${SHAPES[shape]}`, '')
    push(header, rule)
    for (const cell of cells) row(`${cell.cases === 1 ? '1 case (every shape alike)' : `${cell.cases} cases`}, ${duration(cell.durationMs)}`, cell)
    push('')
  }
  push('### Several runs in one wait', '')
  push('Polls are the whole wait\'s; the lag runs from the last run\'s end to the verdict.', '')
  push(header, rule)
  for (const cell of matrix.multi) row(cell.name, cell)
  push('')
}

/** The chart's rows: per shape, the 60 s and 10-minute runs of 30 cases. @param {any} matrix */
export function chartRows(matrix) {
  const find = (shape, durationMs) => matrix.single.find((cell) => cell.shape === shape && cell.cases === 30 && cell.durationMs === durationMs)
  return Object.keys(SHAPES).flatMap((shape) => {
    const a = find(shape, 60_000)
    const b = find(shape, 600_000)
    if (!a || !b) return []
    const share = (cell) => stats(cell.results.map((r) => r.polls)).median / stats(cell.results.map((r) => r.fixed[2000].polls)).median
    const lag = (cell) => stats(cell.results.map((r) => r.lagMs)).p95 / 1000
    return [{ shape, polls60: share(a), polls600: share(b), lag60: lag(a), lag600: lag(b) }]
  })
}
