// What no schedule can do: lower bounds that say when one of issue 13's targets cannot be met on a
// cell without missing another. Each bound is for the best schedule that could exist, one that knows
// everything except what the run has not shown yet; round trips are left out, which only makes the
// bounds easier to beat, so a target beyond one truly cannot be met.

/** The every-shape target: a verdict within max(2 s, 10% of the run's length) of its end. @param {number} lengthMs */
export const lagAllowance = (lengthMs) => Math.max(2000, 0.1 * lengthMs)

/**
 * The fewest polls any schedule can make on a run that ends `endMs` after its start, if the
 * every-shape lag target is to hold. Until that end, the cases the run has left may all finish at any
 * moment: no PolyAI source says how many cases run side by side, and a run may end as a whole
 * (its statuses include errored and timed_out); the matrix's cut-short shape is such a run. A run that
 * did so just after a poll is one the schedule could not tell from this one, so every poll must come
 * within the lag allowance of the moment after the poll before, up to the poll that sees the end:
 * the latest such polls are the fewest. @param {number} endMs
 */
export function fewestPolls(endMs) {
  let at = lagAllowance(0)
  let polls = 1
  while (at < endMs) {
    at += lagAllowance(at)
    polls++
  }
  return polls
}

/** A run whose count tells nothing before its end: every case finishes at once. @param {number[]} ends */
export const isBlind = (ends) => ends[0] === ends[ends.length - 1]

/** The polls a fixed poller every 5 s makes over `spanMs`, its first at the span's start (the overrun target's limit). @param {number} spanMs */
export const fiveSecondPolls = (spanMs) => Math.floor(spanMs / 5000) + 1
/**
 * Whether any schedule could meet both overrun targets, and the every-shape lag, for a run that
 * ended `overrunMs` after the end predicted for it at `predictedMs` (from its start). The schedule
 * cannot tell how long the run will overrun, so it meets the targets on this run only as one that
 * meets them on every run that overran less: its latest possible polls after the predicted end are
 * the fewest, and if even they are more than a fixed 5 s poller's by the poll that sees this end, no
 * such schedule meets both. (A schedule may still meet both on one such run by a lucky poll, and
 * miss them on a run that overran less.) @param {number} predictedMs @param {number} overrunMs
 */
export function overrunFeasible(predictedMs, overrunMs) {
  const inScope = 0.1 * predictedMs
  let at = 0
  let polls = 0
  while (at < overrunMs) {
    // The next poll must come within the lag allowance of an end just after this one; and for an end
    // already in scope, within a tenth of its overrun; an end that comes into scope later, within a
    // tenth of the overrun at which it does.
    let next = at + lagAllowance(predictedMs + at)
    next = Math.min(next, 1.1 * Math.max(at, inScope))
    at = next
    polls++
  }
  return polls <= fiveSecondPolls(at)
}
