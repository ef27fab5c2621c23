// What must hold after every gate, whatever went wrong, checked against the emulator's own state:
// no pass for a run that did not pass (and was not seen to finish), one deployment per write, outputs
// that agree with the platform, no key anywhere but the API, and (for the command) no overrun.
import { keyLeaks } from '../reliability/run-scenario.js'
import { parseDuration } from './durations.js'

const ENVIRONMENTS = ['sandbox', 'pre-release', 'live']

/** @returns {string[]} one line per invariant broken */
export function checkInvariants(plan, { result, emulator, before, apiKey, checkTime }) {
  const problems = []
  const log = result.stdout + result.stderr
  if (result.code !== 0 && result.code !== 1) problems.push(`exit code ${result.code} (signal ${result.signal})`)
  if (/\n\s+at .+:\d+:\d+/.test(log)) problems.push('a stack trace was printed')
  if (keyLeaks(result, apiKey) > 0) problems.push('the key appeared in the log, the summary or an output')
  const foreign = emulator.requests.filter((request) => request.headers['x-api-key'] !== '<redacted>').length
  if (foreign > 0) problems.push(`${foreign} request(s) reached the API without the key header`)
  for (const entry of resultsOf(result)) {
    const agent = entry.agentId ?? plan.agents[0]
    problems.push(...noFalsePass(plan, entry, agent, emulator).map((line) => `${agent}: ${line}`))
    problems.push(...outputsAgree(entry, agent, emulator).map((line) => `${agent}: ${line}`))
  }
  for (const agentId of plan.agents) problems.push(...oneDeploymentPerWrite(agentId, emulator, before.get(agentId) ?? []))
  if (checkTime) {
    const limitMs = parseDuration(plan.inputs.timeout) + 4 * parseDuration(plan.inputs['request-timeout']) + 15_000
    if (result.durationMs > limitMs) problems.push(`the step took ${result.durationMs} ms, more than timeout plus ${limitMs - parseDuration(plan.inputs.timeout)} ms`)
  }
  return problems
}

/** The `results` output, one entry per agent; a step that ended before writing it has none. */
function resultsOf(result) {
  try {
    return JSON.parse(result.outputs.results ?? '[]')
  } catch {
    return [{ status: 'unparsable' }]
  }
}

/** A passed entry: every run it names passed on the server, and the step polled it after it finished. */
function noFalsePass(plan, entry, agentId, emulator) {
  if (entry.status !== 'passed') return []
  const problems = []
  const rungs = entry.release ?? [entry]
  for (const rung of rungs) {
    const result = rung.testsResult
    if (result === 'passed') problems.push(...runsPassed(rung.testRunIds ?? [], agentId, emulator))
    else if (result === 'none' && rung.changed && entry.operation !== 'rollback' && plan.inputs['if-no-tests'] !== 'pass') {
      problems.push(`passed with a change that no test gated (${rung.environment})`)
    } else if (!['passed', 'none', 'skipped'].includes(result)) problems.push(`passed with tests ${result} (${rung.environment})`)
  }
  return problems
}

function runsPassed(runIds, agentId, emulator) {
  if (runIds.length === 0) return ['tests passed with no test run named']
  const problems = []
  for (const runId of runIds) {
    const run = emulator.testRun(agentId, runId)
    const clean = run && run.failedCount === 0 && run.errorCount === 0 && run.testCaseCount > 0 && run.passedCount === run.testCaseCount
    if (!clean || ['pending', 'running'].includes(run.status) || run.status === 'timed_out') {
      problems.push(`run ${runId} gated a pass but is ${run ? `${run.status} ${run.passedCount}/${run.testCaseCount}` : 'unknown'}`)
      continue
    }
    const finishedAt = emulator.runFinishesAt(agentId, runId)
    // A read of the run itself, or of the agent's run list (where a promote reads its build's runs), after the run ended.
    const seen = emulator.requests.some(
      (request) =>
        request.status === 200 &&
        (request.path.endsWith(`/testing/test-runs/${runId}`) || request.path.endsWith('/testing/test-runs')) &&
        finishedAt !== null &&
        request.serverAt >= finishedAt
    )
    if (!seen) problems.push(`run ${runId} gated a pass without a poll that saw it finished`)
  }
  return problems
}

/** The outputs name what the platform really has. */
function outputsAgree(entry, agentId, emulator) {
  if (!entry.deploymentId) return []
  const problems = []
  const deployment = emulator.deployments(agentId).find((candidate) => candidate.id === entry.deploymentId)
  if (!deployment) return [`output deployment ${entry.deploymentId} does not exist`]
  if (deployment.version !== entry.version) problems.push(`output version ${entry.version}, the platform says ${deployment.version}`)
  if (entry.environment && deployment.environment !== entry.environment) problems.push(`output environment ${entry.environment}, the platform says ${deployment.environment}`)
  const active = emulator.active(agentId)[deployment.environment]
  if (entry.changed && !entry.rolledBack && entry.status !== 'cancelled' && active?.id !== deployment.id && !entry.release) {
    problems.push(`changed=true, but ${deployment.environment} runs ${active?.id} rather than ${deployment.id}`)
  }
  if (entry.rolledBack) {
    const previous = emulator.deployments(agentId).find((candidate) => candidate.id === entry.previousDeploymentId)
    if (previous && active?.version !== previous.version) problems.push(`rolled-back=true, but ${deployment.environment} runs ${active?.version}, not ${previous.version}`)
  }
  return problems
}

/** Each write made at most one deployment per environment (a rollback after a failed gate is a second write). */
function oneDeploymentPerWrite(agentId, emulator, before) {
  const pathOf = new Map(emulator.writes(agentId).map((write) => [write.createdDeploymentId, write.path]))
  const made = emulator.deployments(agentId).filter((deployment) => !before.includes(deployment.id))
  const problems = []
  for (const environment of ENVIRONMENTS) {
    const forward = made.filter((deployment) => deployment.environment === environment && !pathOf.get(deployment.id)?.endsWith('/rollback'))
    if (forward.length > 1) problems.push(`${agentId}: ${forward.length} deployments made in ${environment} by one step`)
  }
  return problems
}
