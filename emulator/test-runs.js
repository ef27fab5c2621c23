// Test runs: created by a call that triggers them, from the environment's TestPlan, and computed from
// the clock whenever they are read, so no timers run in the background. Shaped as ../shared/API.md
// describes real runs: no finish time, no link to the deployment, cases with names and results.
import { randomBytes } from 'node:crypto'
import { caseEnds, finishedBy } from './run-shapes.js'

/**
 * @typedef {'pass' | 'fail' | 'error' | 'hang' | 'timed_out'} Outcome
 * @typedef {{ runs?: number, cases?: number, caseMs?: number, startDelayMs?: number, outcome?: Outcome,
 *   failRuns?: number[], notFoundForMs?: number, durationsMs?: number[], finalStatus?: string,
 *   caseNames?: string[], shape?: import('./run-shapes.js').Shape }} TestPlan
 * @typedef {{ id: string, createdAtMs: number, cases: number, caseMs: number, startDelayMs: number,
 *   outcome: Outcome, notFoundForMs: number, finalStatus: string, caseNames: string[], ends?: number[] }} TestRunRecord
 */

export const OUTCOMES = ['pass', 'fail', 'error', 'hang', 'timed_out']

/** @type {Required<Omit<TestPlan, 'failRuns' | 'durationsMs' | 'caseNames' | 'shape'>>} */
const DEFAULT_PLAN = { runs: 2, cases: 3, caseMs: 100, startDelayMs: 0, outcome: 'pass', notFoundForMs: 0, finalStatus: 'completed' }

/**
 * The plan for one environment: defaults, then the agent's `all` plan, then the environment's own.
 * @param {Record<string, TestPlan | undefined>} plansByEnvironment
 * @param {string} environment
 */
export function planFor(plansByEnvironment, environment) {
  const plan = { ...DEFAULT_PLAN, ...plansByEnvironment.all, ...plansByEnvironment[environment] }
  if (!OUTCOMES.includes(plan.outcome)) throw new Error(`unknown test outcome ${plan.outcome}`)
  return plan
}

/**
 * The runs one triggering call starts.
 * @param {TestPlan} plan a plan from planFor
 * @param {number} nowMs the server's clock
 * @returns {TestRunRecord[]}
 */
export function createTestRuns(plan, nowMs) {
  const full = /** @type {Required<TestPlan>} */ (plan)
  return Array.from({ length: full.runs }, (_, index) => {
    const duration = full.durationsMs?.[index]
    const getsOutcome = full.failRuns === undefined || full.failRuns.includes(index)
    const durationMs = duration ?? full.caseMs * full.cases
    return {
      // A shaped run's cases end when the shape says (seeded by the run's place, as the benchmark's are); else one every caseMs.
      ...(full.shape ? { ends: caseEnds(full.shape, { cases: full.cases, durationMs, seed: index + 1 }) } : {}),
      id: uuidLike(nowMs),
      createdAtMs: nowMs,
      cases: full.cases,
      caseMs: duration === undefined ? full.caseMs : duration / Math.max(full.cases, 1),
      startDelayMs: full.startDelayMs,
      outcome: getsOutcome ? full.outcome : 'pass',
      notFoundForMs: full.notFoundForMs,
      finalStatus: full.outcome === 'timed_out' && getsOutcome ? 'timed_out' : full.finalStatus,
      caseNames: full.caseNames ?? []
    }
  })
}

/**
 * A UUIDv7-like ID, as the platform's deployment and run IDs are: the time first, then randomness.
 * @param {number} nowMs
 */
export function uuidLike(nowMs) {
  const hex = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** When the run's last case finishes on the server's clock; null for a run that never ends. @param {TestRunRecord} run */
export function finishesAt(run) {
  if (run.outcome === 'hang') return null
  const lastEnd = run.ends ? (run.ends[run.ends.length - 1] ?? 0) : run.caseMs <= 0 ? 0 : run.cases * run.caseMs
  return run.createdAtMs + run.startDelayMs + lastEnd
}

/**
 * Whether the run still answers 404, as real runs may right after the call that created them.
 * @param {TestRunRecord} run @param {number} nowMs
 */
export function isHidden(run, nowMs) {
  return nowMs - run.createdAtMs < run.notFoundForMs
}

/**
 * The run as the API shows it at `nowMs`: cases finish one by one, and only finished ones are listed.
 * @param {TestRunRecord} run @param {number} nowMs
 */
export function viewTestRun(run, nowMs) {
  const runningForMs = nowMs - run.createdAtMs - run.startDelayMs
  const finishedCount = countFinishedCases(run, runningForMs)
  const testHistory = Array.from({ length: finishedCount }, (_, index) => caseView(run, index))
  const done = run.outcome !== 'hang' && runningForMs >= 0 && finishedCount === run.cases
  return {
    id: run.id,
    status: runningForMs < 0 ? 'pending' : done ? run.finalStatus : 'running',
    passedCount: testHistory.filter((entry) => entry.status === 'passed').length,
    failedCount: testHistory.filter((entry) => entry.status === 'failed').length,
    errorCount: testHistory.filter((entry) => entry.status === 'error').length,
    testCaseCount: run.cases,
    startedAt: new Date(run.createdAtMs).toISOString(),
    startedBy: 'deployment',
    testHistory
  }
}

/** One finished case, with what a person needs to see why it failed. @param {TestRunRecord} run @param {number} index */
function caseView(run, index) {
  const status = caseStatus(run, index)
  const name = run.caseNames[index] ?? `Case ${index + 1}: caller asks for opening hours`
  const passed = status === 'passed'
  return {
    testCaseId: `tc-${index + 1}`,
    status,
    testCaseSnapshot: { name },
    results: {
      prompt_assertion_results: [
        { prompt: 'The agent greets the caller', is_pass: true, reason: 'It said hello' },
        passed
          ? { prompt: 'The agent gives the opening hours', is_pass: true, reason: 'It gave 9 to 5' }
          : { prompt: 'The agent gives the opening hours', is_pass: false, reason: 'It said it did not know the hours' }
      ],
      function_call_failures: status === 'error'
        ? [{ name: 'lookup_hours', is_pass: false, failure_reason: 'The function raised', error: 'KeyError: store_id' }]
        : []
    },
    rawConversation: {
      id: `conv-${run.id.slice(-12)}-${index + 1}`,
      turns: [{ user_input: 'When are you open?', agent_response: passed ? 'From 9 to 5.' : 'I am not sure.', function_calls: [] }]
    }
  }
}

/** @param {TestRunRecord} run @param {number} runningForMs */
function countFinishedCases(run, runningForMs) {
  if (runningForMs < 0) return 0
  const finished = run.ends ? finishedBy(run.ends, runningForMs) : run.caseMs <= 0 ? run.cases : Math.min(run.cases, Math.floor(runningForMs / run.caseMs))
  // A hanging run keeps its last case open forever.
  return run.outcome === 'hang' ? Math.min(finished, Math.max(run.cases - 1, 0)) : finished
}

/** @param {TestRunRecord} run @param {number} index */
function caseStatus(run, index) {
  if (index !== run.cases - 1) return 'passed'
  if (run.outcome === 'fail') return 'failed'
  if (run.outcome === 'error' || run.outcome === 'timed_out') return 'error'
  return 'passed'
}
