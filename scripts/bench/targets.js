// Issue 13's targets, judged on every cell of the matrix. A target that does not apply to a cell is
// left out; one that applies is met or not, with the figure that decided it. Nothing here is tuned
// to a cell: the same rule reads every row.
import { quantile } from './stats.js'

/** Shapes whose cases finish at a pace that can be read: the stricter targets apply to them. */
export const STEADY_SHAPES = ['even', 'front-loaded', 'back-loaded', 'bursts']

/** Median, p95 and worst of a sample. @param {number[]} values */
export const stats = (values) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), worst: Math.max(...values) })
/** A count that may be interpolated (a median or p95 of polls), as people read it. @param {number} value */
const n = (value) => (Number.isInteger(value) ? `${value}` : value.toFixed(1))

/**
 * @param {{ durationMs: number, cases?: number, shape?: string, results: any[] }} cell
 * @returns {{ id: string, met: boolean, detail: string }[]}
 */
export function judge(cell) {
  const lengthMs = cell.durationMs
  const polls = stats(cell.results.map((result) => result.polls))
  const lag = stats(cell.results.map((result) => result.lagMs))
  const fixed2 = stats(cell.results.map((result) => result.fixed[2000].polls))
  const verdicts = []
  const add = (id, met, detail) => verdicts.push({ id, met, detail })
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`

  add('polls ≤ fixed 2 s', polls.median <= fixed2.median && polls.p95 <= fixed2.p95 && polls.worst <= fixed2.worst,
    `${n(polls.median)}/${n(polls.p95)}/${polls.worst} vs ${n(fixed2.median)}/${n(fixed2.p95)}/${fixed2.worst}`)
  const lagLimit = Math.max(2000, 0.1 * lengthMs)
  add('lag ≤ max(2 s, 10%)', lag.worst <= lagLimit, `worst ${s(lag.worst)} vs ${s(lagLimit)}`)

  const steady = cell.shape !== undefined && STEADY_SHAPES.includes(cell.shape)
  if (steady && lengthMs >= 30_000 && (cell.cases ?? 0) >= 4) {
    add('lag p95 ≤ 2 s', lag.p95 <= 2000, `p95 ${s(lag.p95)}`)
    add('polls ≤ ½ fixed 2 s', polls.p95 <= fixed2.median / 2, `p95 ${n(polls.p95)} vs ${n(fixed2.median / 2)}`)
  }
  if (steady && lengthMs === 60_000) add('60 s: ≤ 12 polls', polls.worst <= 12, `worst ${polls.worst}`)
  if (steady && lengthMs === 600_000) add('10 min: ≤ 40 polls', polls.worst <= 40, `worst ${polls.worst}`)

  // Runs that ended well past the schedule's own prediction (by more than a tenth of the predicted
  // length): from the predicted end on, no more polls than a fixed 5 s poller, and a lag within a
  // tenth of the overrun.
  const overruns = cell.results.flatMap((result) => result.perRun).map((run) => run.overdue)
    .filter((late) => late && late.overrunMs > 0.1 * late.predictedMs)
  if (overruns.length) {
    const thin = overruns.filter((late) => late.pollsSince <= Math.floor(late.spanMs / 5000) + 1).length
    add('overrun: ≤ fixed 5 s polls', thin === overruns.length, `${thin}/${overruns.length} runs`)
    const prompt = overruns.filter((late) => late.spanMs - late.overrunMs <= 0.1 * late.overrunMs).length
    add('overrun: lag ≤ 10% of it', prompt === overruns.length, `${prompt}/${overruns.length} runs`)
  }
  return verdicts
}

/** Every target's count of cells met and not met, with the cells not met. @param {{ name: string, verdicts: any[] }[]} judged */
export function tally(judged) {
  /** @type {Map<string, { met: number, missed: { name: string, detail: string }[] }>} */
  const byTarget = new Map()
  for (const cell of judged) {
    for (const verdict of cell.verdicts) {
      const entry = byTarget.get(verdict.id) ?? { met: 0, missed: [] }
      if (verdict.met) entry.met++
      else entry.missed.push({ name: cell.name, detail: verdict.detail })
      byTarget.set(verdict.id, entry)
    }
  }
  return byTarget
}
