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

/** Why a target is missed where it is, though no bound shows it cannot be met: the README says the same. */
export const WHY = {
  'polls ≤ fixed 2 s': 'waits are shortened by the slowest recent round trip; a budget of one poll per 2 s less that round trip, counted from the first poll, holds the count, and a run that ends just after one of the fixed poller\'s polls can still cost one poll more',
  'lag ≤ max(2 s, 10%)': 'a run whose last cases come more than six times faster than any recent stretch (exponential case lengths, batches of jumps) ends inside a wait its pace made safe: guarding against any rush at all would mean never waiting longer than a tenth of the run\'s age, the blind schedule\'s poll count',
  'lag p95 ≤ 2 s': 'a run that ends in a rush (back-loaded) is seen rushing only at the wake the guard allows, within 10% of its length but seldom within 2 s; and with few cases, or cases whose times vary, the end is known only within a wide window, polled some ten times across (or once per 20 s the run has taken) rather than every 2 s, which for a 10-minute run would cost more than its 40 polls',
  'polls ≤ ½ fixed 2 s': 'a wait never runs past the soonest end the recent pace allows at six times its speed, plus a tenth of the run\'s age, so that a back-loaded run\'s sudden rush is seen within 10%: a front-loaded run keeps its fast start in view for a while, and runs of few cases or in bursts give counts far apart, so their waits stay near a tenth of their age',
  '60 s: ≤ 12 polls': 'the same guard against a sudden rush, and before the first case a tenth of the run\'s age: meeting this target on these cells would mean waits a back-loaded run\'s rush could end inside',
  '10 min: ≤ 40 polls': 'the same guard, and across the predicted window of a run of few cases, polls every few seconds to keep the lag p95 near 2 s',
  'overrun: ≤ fixed 5 s polls': 'a run that outlives its window and then counts again (after a stall, or a long case among random ones) gets a new prediction and window from that count, while the benchmark still measures the overrun from the first window',
  'overrun: lag ≤ 10% of it': 'the same: after a stall the schedule polls towards its new window, while the benchmark measures the overrun from the first one'
}

/** What a "cannot be met" shows, once per target. */
const BOUNDS = 'A target marked ⛔ cannot be met on that cell by any schedule that also keeps every run\'s lag within max(2 s, 10%), whatever it knows of the run\'s shape: `scripts/bench/bounds.js` computes the fewest polls before a run\'s first case finishes (until then it may end at any moment, its cases side by side), and, for a run that overran, whether any polls after the predicted end could have kept within a fixed 5 s poller\'s count and a tenth of the overrun. Round trips are left out, which only makes the bounds easier to beat.'

/** @param {any} matrix @param {(...lines: string[]) => void} push */
export function renderTargets(matrix, push) {
  const all = [...matrix.single, ...matrix.multi]
  const byTarget = tally(all)
  const few = (list) => list.slice(0, 5).map((miss) => `${miss.name} (${miss.detail})`).join('; ') + (list.length > 5 ? `; … ${list.length - 5} more` : '')
  push('| target | cells it applies to | met | ⛔ cannot be met | ❌ missed (first few) |', '|---|---|---|---|---|')
  for (const [id, entry] of byTarget) {
    const total = entry.met + entry.cannot.length + entry.missed.length
    const mark = entry.met === total ? '✅' : entry.missed.length ? '❌' : '⛔'
    push(`| ${id} | ${total} | ${mark} ${entry.met}/${total} | ${entry.cannot.length} | ${entry.missed.length ? `${entry.missed.length}: ${few(entry.missed)}` : '0'} |`)
  }
  push('', BOUNDS, '')
  const reasons = [...byTarget].flatMap(([id, entry]) => [...new Set(entry.cannot.map((cannot) => cannot.why))].map((why) => ({ id, why })))
  if (reasons.length) {
    push('Why each ⛔ cannot be met:', '')
    for (const { id, why } of reasons) push(`- **${id}**: ${why}.`)
    push('')
  }
  const failing = [...byTarget].filter(([, entry]) => entry.missed.length)
  if (failing.length) {
    push('Why the schedule misses the ❌ (the README says the same):', '')
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
    const marks = cell.verdicts.map((v) => `${v.met ? '✅' : v.cannot ? '⛔' : '❌'} ${v.id}${v.met ? '' : ` (${v.detail})`}`).join('<br>')
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
