// A runner killed (SIGKILL) at every point of a write, then the same step run again as GitHub re-runs
// a failed job: there is still exactly one deployment, and the second run's verdict is the tests'.
import { startEmulator } from '../../emulator/server.js'
import { runAction } from '../run-action.js'

const API_KEY = 'killed-key-2f9a61'
const AGENT = 'agent-1'
const HOUR = 3_600_000
const POINTS = ['before sending', 'while the server acts', 'after the server acted', 'while waiting on tests']
const OPERATIONS = {
  publish: { path: '/deployments/publish', environment: 'sandbox', inputs: {} },
  merge: { path: '/merge', environment: 'sandbox', inputs: { branch: 'feature' } },
  promote: { path: '/promote', environment: 'pre-release', inputs: { environment: 'pre-release' } },
  rollback: { path: '/rollback', environment: 'live', inputs: { environment: 'live' } }
}

export const KILL_CASES = Object.keys(OPERATIONS).flatMap((operation) =>
  POINTS.flatMap((point) => ['pass', 'fail'].map((outcome) => ({ operation, point, outcome })))
)

/** @param {{ operation: string, point: string, outcome: 'pass' | 'fail' }} killCase @param {{ node?: string }} [options] */
export async function killAndRerun({ operation, point, outcome }, options = {}) {
  const { path, environment, inputs: operationInputs } = OPERATIONS[operation]
  const tests = { runs: 2, cases: 3, caseMs: 80 }
  const emulator = await startEmulator({
    apiKey: API_KEY,
    agents: { [AGENT]: { testPlan: { all: tests, [environment]: { ...tests, outcome } }, triggers: { promote: true, rollback: true } } }
  })
  try {
    // No message: the default one names the workflow run, which a re-run of it shares.
    const inputs = { 'api-key': API_KEY, 'agent-id': AGENT, 'base-url': emulator.url, operation, 'poll-interval': '100ms', timeout: '20s', ...operationInputs }
    const env = { GITHUB_REPOSITORY: 'acme/agent', GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.com' }
    if (operation === 'rollback') inputs['deployment-id'] = setUp(emulator, operation)
    else setUp(emulator, operation)
    const before = emulator.deployments(AGENT).map((deployment) => deployment.id)
    if (point === 'while the server acts') emulator.injectFault({ kind: 'delay', ms: 1500, method: 'POST', path })
    if (point === 'after the server acted') emulator.injectFault({ kind: 'act-then-hang', method: 'POST', path })
    const acted = waitForAct(emulator, path)
    const first = await runAction(inputs, { node: options.node, env, onSpawn: (child) => killAt(emulator, point, path, child) })
    if (first.signal !== 'SIGKILL') return [`the first run was not killed ${point} (it ended with code ${first.code})`]
    if (point !== 'before sending') await acted
    emulator.clearFaults()
    const second = await runAction(inputs, { node: options.node, env })
    return checkRerun({ emulator, before, environment, outcome, second })
  } finally {
    await emulator.close()
  }
}

/** The state each write starts from, made hours ago so that no run of the step is theirs; a rollback's target. */
function setUp(emulator, operation) {
  const ago = (hours) => emulator.now() - hours * HOUR
  if (operation === 'merge') emulator.addBranch(AGENT, 'feature')
  if (operation === 'promote') emulator.seedDeployment(AGENT, 'sandbox', { createdAt: ago(3) })
  if (operation === 'rollback') {
    const target = emulator.seedDeployment(AGENT, 'live', { createdAt: ago(3) })
    emulator.seedDeployment(AGENT, 'live', { createdAt: ago(2) })
    return target.id
  }
  return undefined
}

function waitForAct(emulator, path) {
  return new Promise((resolve) => {
    const stop = emulator.observe((entry, phase) => {
      if (phase === 'acted' && entry.method === 'POST' && entry.path.endsWith(path)) {
        stop()
        resolve(undefined)
      }
    })
  })
}

/** SIGKILL the step at the point named, seen from the server. */
function killAt(emulator, point, path, child) {
  let wrote = false
  const stop = emulator.observe((entry, phase) => {
    const write = entry.method === 'POST' && entry.path.endsWith(path)
    if (write && phase === 'acted') wrote = true
    const now =
      (point === 'before sending' && phase === 'arrived' && entry.path.endsWith('/deployments/active')) ||
      (point === 'while the server acts' && phase === 'arrived' && write) ||
      (point === 'after the server acted' && phase === 'acted' && write) ||
      (point === 'while waiting on tests' && phase === 'arrived' && wrote && entry.path.includes('/testing/test-runs/'))
    if (!now) return
    stop()
    child.kill('SIGKILL')
  })
  child.on('close', stop)
}

function checkRerun({ emulator, before, environment, outcome, second }) {
  const problems = []
  const made = emulator.deployments(AGENT).filter((deployment) => !before.includes(deployment.id) && deployment.environment === environment)
  if (made.length !== 1) problems.push(`${made.length} deployments in ${environment} after the kill and the re-run, not 1`)
  const expected = outcome === 'pass' ? 0 : 1
  if (second.code !== expected) {
    const why = second.stdout.split('\n').filter((line) => line.startsWith('::error::')).join(' | ')
    problems.push(`the re-run ended ${second.code}, not ${expected}, with tests that ${outcome === 'pass' ? 'passed' : 'failed'}${why ? `: ${why}` : ''}`)
  }
  if (outcome === 'fail' && second.outputs['tests-result'] === 'passed') problems.push('the re-run reported passed for tests that failed')
  return problems
}
