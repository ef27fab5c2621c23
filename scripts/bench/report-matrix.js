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
  'polls ≤ fixed 2 s': 'waits are shortened by the slowest recent round trip; a budget of one poll per 2 s, counted from the first poll, holds the count once the ceiling allows (its first 20 s poll half a round trip closer), and a run that ends just after one of the fixed poller\'s polls can still cost one poll more',
  'lag ≤ max(2 s, 10%)': 'no wait is longer than a tenth of the run\'s age less twice the slowest recent round trip and 0.1 s: a verdict later than that means a round trip more than 0.1 s slower than any recent one',
  'lag p95 ≤ 2 s': 'with four cases the last one\'s time is read from one or two stretches, so the window is as wide as the prior spread (20% of the pace) makes it; batches of cases that finish together vary as one case does, so the last batch\'s window is as wide. Polling such a window every 2 s would spend more than half a 2 s poller\'s polls, so it gets what is left of that budget (a run of up to about two minutes, where the ceiling alone spends more than half, has its window polled every 2 s); a front-loaded run of four, overdue since the window its two quick cases predicted, is held to a fixed 5 s poller\'s count across its new one. Counting a whole 2 s per poll in the budget, which keeps every cell within the fixed 2 s poller\'s count at 50 and 100 repetitions too, leaves some windows polled a little over 2 s apart. A narrower prior (10%) misses its windows as often as it narrows them. A run of 4 cases that finish together tells nothing before its end: polling it every 2 s for its first minute would cost longer runs whose first cases finish late their poll target',
  'polls ≤ ½ fixed 2 s': 'before the window no wait may be longer than a tenth of the run\'s age, which alone takes 34 of the 45 polls a 3-minute run may have; a front-loaded run\'s two quick cases, or batches, put windows early that the run outlives, and each is polled',
  '60 s: ≤ 12 polls': 'no wait may be longer than a tenth of the run\'s age (2 s in its first 20 s)',
  '10 min: ≤ 40 polls': 'no wait may be longer than a tenth of the run\'s age (2 s in its first 20 s)',
  'overrun: ≤ fixed 5 s polls': 'a 10 s run that overruns its window by about a tenth of its length could be met with a single poll a tenth of its length past the window; the schedule keeps polling the window\'s last seconds every 2 s for the lag p95, and spends a second poll there',
  'overrun: lag ≤ 10% of it': 'a few runs that overran their window by just over a tenth of their predicted length meet it only with polls from that tenth past the window on, a tenth of the overrun apart; the schedule polls every 5 s from the window\'s end, as the overrun\'s poll count allows'
}

/** What a "cannot be met" shows, once per target. */
const BOUNDS = 'A target marked ⛔ cannot be met on that cell by any schedule that also keeps every run\'s lag within max(2 s, 10%), whatever it knows of the run\'s shape, or that also meets another target there which can be met. Until a run ends, the cases it has left may all finish at any moment: no PolyAI source says how many cases run side by side, and a run may end as a whole (its statuses include `errored` and `timed_out`). The matrix\'s cut-short shape is such a run: an even run until its cases left all finish at once. A run that did so just after a poll is one the schedule could not tell from this one: `scripts/bench/bounds.js` computes the fewest polls that keep the lag within the allowance for all of them, to the poll that sees the end, and, for a run that overran, whether any polls after the predicted end could have kept within a fixed 5 s poller\'s count and a tenth of the overrun, for that overrun and every shorter one (the schedule cannot tell them apart). Round trips are left out, which only makes the bounds easier to beat.'

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
