// Issue 13's targets, judged on every cell of the matrix. A target that does not apply to a cell is
// left out; one that applies is met or not, with the figure that decided it. Nothing here is tuned
// to a cell: the same rule reads every row. A target missed where no schedule could meet it (while
// meeting the every-shape lag target too, or another target that can be met there) says so, with the
// bound from bounds.js that shows it.
import { fiveSecondPolls, lagAllowance, overrunFeasible } from './bounds.js'
import { quantile } from './stats.js'

/** Shapes whose cases finish at a pace that can be read: the stricter targets apply to them. */
export const STEADY_SHAPES = ['even', 'front-loaded', 'back-loaded', 'bursts']

/** Median, p95 and worst of a sample. @param {number[]} values */
export const stats = (values) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), worst: Math.max(...values) })
/** A count that may be interpolated (a median or p95 of polls), as people read it. @param {number} value */
const n = (value) => (Number.isInteger(value) ? `${value}` : value.toFixed(1))

/**
 * @param {{ durationMs: number, cases?: number, shape?: string, results: any[] }} cell
 * @returns {{ id: string, met: boolean, detail: string, cannot?: string }[]}
 */
export function judge(cell) {
  const lengthMs = cell.durationMs
  const polls = stats(cell.results.map((result) => result.polls))
  const lag = stats(cell.results.map((result) => result.lagMs))
  const fixed2 = stats(cell.results.map((result) => result.fixed[2000].polls))
  const fewest = stats(cell.results.map((result) => result.fewestPolls))
  const blind = cell.results.every((result) => result.blind)
  const verdicts = []
  /** @param {string} [cannot] why no schedule meets the target here, where one was shown */
  const add = (id, met, detail, cannot) => verdicts.push(met || !cannot ? { id, met, detail } : { id, met, detail, cannot })
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`
  // A poll count below what any schedule needs to keep the every-shape lag.
  const FEW = 'until a run ends, the cases it has left may all finish at any moment (no PolyAI source says how many run side by side, and a run may end errored or timed out as a whole): keeping its lag within max(2 s, 10%) takes polls at most a tenth of its age apart (2 s in its first 20 s), more than the target allows'
  const tooFew = (limit, figure) => (figure > limit ? FEW : undefined)
  const fewer = (figure) => `; no schedule fewer than ${n(figure)}`

  add('polls ≤ fixed 2 s', polls.median <= fixed2.median && polls.p95 <= fixed2.p95 && polls.worst <= fixed2.worst,
    `${n(polls.median)}/${n(polls.p95)}/${polls.worst} vs ${n(fixed2.median)}/${n(fixed2.p95)}/${fixed2.worst}`)
  const lagLimit = lagAllowance(lengthMs)
  add('lag ≤ max(2 s, 10%)', lag.worst <= lagLimit, `worst ${s(lag.worst)} vs ${s(lagLimit)}`)

  const steady = cell.shape !== undefined && STEADY_SHAPES.includes(cell.shape)
  if (steady && lengthMs >= 30_000 && (cell.cases ?? 0) >= 4) {
    const half = fixed2.median / 2
    // A run that tells nothing before its end could end at any moment of any length: a p95 within
    // 2 s then takes polls every 2 s, twice what the next target allows, wherever that one can be met.
    add('lag p95 ≤ 2 s', lag.p95 <= 2000, `p95 ${s(lag.p95)}`,
      blind && fewest.p95 <= half ? 'the count tells nothing before the end: a p95 within 2 s needs polls every 2 s, twice the polls the next target allows' : undefined)
    add('polls ≤ ½ fixed 2 s', polls.p95 <= half, `p95 ${n(polls.p95)} vs ${n(half)}${fewer(fewest.p95)}`, tooFew(half, fewest.p95))
  }
  if (steady && lengthMs === 60_000) add('60 s: ≤ 12 polls', polls.worst <= 12, `worst ${polls.worst}${fewer(fewest.worst)}`, tooFew(12, fewest.worst))
  if (steady && lengthMs === 600_000) add('10 min: ≤ 40 polls', polls.worst <= 40, `worst ${polls.worst}${fewer(fewest.worst)}`, tooFew(40, fewest.worst))

  // Runs that ended well past the schedule's own prediction (by more than a tenth of the predicted
  // length): from the predicted end on, no more polls than a fixed 5 s poller, and a lag within a
  // tenth of the overrun.
  const overruns = cell.results.flatMap((result) => result.perRun).map((run) => run.overdue)
    .filter((late) => late && late.overrunMs > 0.1 * late.predictedMs)
  if (overruns.length) {
    const isThin = (late) => late.pollsSince <= fiveSecondPolls(late.spanMs)
    const isPrompt = (late) => late.spanMs - late.overrunMs <= 0.1 * late.overrunMs
    // Where every run that missed overran by an amount no schedule can poll for within both overrun
    // targets and the every-shape lag (while it also meets them on every run that overran less, as
    // it cannot tell how long a run will overrun), the target cannot be met there.
    const cannot = (missed) =>
      missed.length && missed.every((late) => !overrunFeasible(late.predictedMs, late.overrunMs))
        ? 'a schedule cannot tell how long a run will overrun: none that meets both overrun targets and the lag target on every run that overran less does so on the overruns missed'
        : undefined
    const thin = overruns.filter(isThin)
    add('overrun: ≤ fixed 5 s polls', thin.length === overruns.length, `${thin.length}/${overruns.length} runs`, cannot(overruns.filter((late) => !isThin(late))))
    const prompt = overruns.filter(isPrompt)
    add('overrun: lag ≤ 10% of it', prompt.length === overruns.length, `${prompt.length}/${overruns.length} runs`, cannot(overruns.filter((late) => !isPrompt(late))))
  }
  return verdicts
}

/**
 * Every target's count of cells met, cells where it cannot be met, and cells missed, with those.
 * @param {{ name: string, verdicts: any[] }[]} judged
 */
export function tally(judged) {
  /** @type {Map<string, { met: number, cannot: { name: string, detail: string, why: string }[], missed: { name: string, detail: string }[] }>} */
  const byTarget = new Map()
  for (const cell of judged) {
    for (const verdict of cell.verdicts) {
      const entry = byTarget.get(verdict.id) ?? { met: 0, cannot: [], missed: [] }
      if (verdict.met) entry.met++
      else if (verdict.cannot) entry.cannot.push({ name: cell.name, detail: verdict.detail, why: verdict.cannot })
      else entry.missed.push({ name: cell.name, detail: verdict.detail })
      byTarget.set(verdict.id, entry)
    }
  }
  return byTarget
}
