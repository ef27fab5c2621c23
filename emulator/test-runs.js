// Test runs: created by a deployment call from the environment's TestPlan, and computed from the
// clock whenever they are read, so no timers run in the background.
import { randomBytes } from 'node:crypto'

/**
 * @typedef {'pass' | 'fail' | 'error' | 'hang' | 'cancelled' | 'timed_out'} Outcome
 * @typedef {{ runs?: number, cases?: number, caseMs?: number, startDelayMs?: number, outcome?: Outcome,
 *   failRuns?: number[], notFoundForMs?: number, durationsMs?: number[] }} TestPlan
 * @typedef {{ id: string, deploymentId: string, environment: string, createdAtMs: number, cases: number,
 *   caseMs: number, startDelayMs: number, outcome: Outcome, notFoundForMs: number }} TestRunRecord
 */

export const OUTCOMES = ['pass', 'fail', 'error', 'hang', 'cancelled', 'timed_out']

/** @type {Required<Omit<TestPlan, 'failRuns' | 'durationsMs'>>} */
const DEFAULT_PLAN = { runs: 2, cases: 3, caseMs: 100, startDelayMs: 0, outcome: 'pass', notFoundForMs: 0 }

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
 * The runs one deployment call triggers.
 * @param {TestPlan} plan a plan from planFor
 * @param {{ deploymentId: string, environment: string, nowMs: number }} trigger
 * @returns {TestRunRecord[]}
 */
export function createTestRuns(plan, { deploymentId, environment, nowMs }) {
  const plannedPlan = /** @type {Required<TestPlan>} */ (plan)
  return Array.from({ length: plannedPlan.runs }, (_, index) => {
    const duration = plannedPlan.durationsMs?.[index]
    const getsOutcome = plannedPlan.failRuns === undefined || plannedPlan.failRuns.includes(index)
    return {
      id: `run_${randomBytes(5).toString('hex')}`,
      deploymentId,
      environment,
      createdAtMs: nowMs,
      cases: plannedPlan.cases,
      caseMs: duration === undefined ? plannedPlan.caseMs : duration / Math.max(plannedPlan.cases, 1),
      startDelayMs: plannedPlan.startDelayMs,
      outcome: getsOutcome ? plannedPlan.outcome : 'pass',
      notFoundForMs: plannedPlan.notFoundForMs
    }
  })
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
  const testHistory = Array.from({ length: finishedCount }, (_, index) => ({
    testCaseId: `tc-${index + 1}`,
    status: caseStatus(run, index),
    rawConversation: { id: `conv_${run.id.slice(4)}_${index + 1}` }
  }))
  const done = run.outcome !== 'hang' && runningForMs >= 0 && finishedCount === run.cases
  return {
    id: run.id,
    deploymentId: run.deploymentId,
    environment: run.environment,
    status: runStatus(run, runningForMs, done),
    passedCount: testHistory.filter((entry) => entry.status === 'passed').length,
    failedCount: testHistory.filter((entry) => entry.status === 'failed').length,
    errorCount: testHistory.filter((entry) => entry.status === 'error').length,
    testCaseCount: run.cases,
    startedAt: new Date(run.createdAtMs).toISOString(),
    finishedAt: done ? new Date(run.createdAtMs + run.startDelayMs + run.cases * run.caseMs).toISOString() : null,
    testHistory
  }
}

/** @param {TestRunRecord} run @param {number} runningForMs */
function countFinishedCases(run, runningForMs) {
  if (runningForMs < 0) return 0
  const finished = run.caseMs <= 0 ? run.cases : Math.min(run.cases, Math.floor(runningForMs / run.caseMs))
  // A hanging run keeps its last case open forever.
  return run.outcome === 'hang' ? Math.min(finished, Math.max(run.cases - 1, 0)) : finished
}

/** @param {TestRunRecord} run @param {number} index */
function caseStatus(run, index) {
  if (index !== run.cases - 1) return 'passed'
  if (run.outcome === 'fail') return 'failed'
  if (run.outcome === 'error') return 'error'
  return 'passed'
}

/** @param {TestRunRecord} run @param {number} runningForMs @param {boolean} done */
function runStatus(run, runningForMs, done) {
  if (runningForMs < 0) return 'queued'
  if (!done) return 'running'
  return run.outcome === 'cancelled' || run.outcome === 'timed_out' ? run.outcome : 'completed'
}
