// One chaos gate, drawn from a seed: an operation, the platform's mode, how its test runs end, the
// server's clock, and a mix of the faults the emulator can inject. Pure: the seed is the whole plan.
import { randomFrom } from './random.js'

export const AGENTS = ['agent-1', 'agent-2']
const HOUR = 3_600_000

/** Faults by kind, each a function of the generator: the emulator's whole repertoire. */
const FAULTS = {
  'transient 5xx': (r) => ({ kind: 'status', status: r.pick([500, 502, 503, 504]), times: r.int(1, 2) }),
  'connection reset': () => ({ kind: 'drop' }),
  '429 with Retry-After': (r) => ({ kind: 'status', status: 429, retryAfter: String(r.int(0, 1)) }),
  '429 without Retry-After': () => ({ kind: 'status', status: 429 }),
  'ambiguous write: acted, then 5xx': (r) => ({ kind: 'act-then-status', status: r.pick([500, 502, 503, 504]), method: 'POST' }),
  'ambiguous write: acted, then reset': () => ({ kind: 'act-then-drop', method: 'POST' }),
  'slow answer near request-timeout': (r) => ({ kind: 'delay', ms: r.int(1200, 2600) }),
  'poll failure': (r) => ({ kind: 'status', status: r.pick([500, 503, 404]), path: '/testing/test-runs/', times: r.int(1, 3) }),
  'malformed answer': (r) => ({ kind: 'body', body: r.pick(['{"not":', '<html>oops</html>', '{"deployments": 7}']), method: 'GET' }),
  'oversized answer': () => ({ kind: 'body', body: 'oversized', method: 'GET' })
}
export const FAULT_KINDS = Object.keys(FAULTS)

/** How the runs end, with the plan each needs. */
const RUN_ENDINGS = {
  pass: {},
  fail: { outcome: 'fail' },
  error: { outcome: 'error' },
  stall: { outcome: 'hang' },
  'timed_out status': { outcome: 'timed_out' },
  'unknown status': { finalStatus: 'finished' },
  'early 404': { notFoundForMs: 400 }
}
export const RUN_ENDING_KINDS = Object.keys(RUN_ENDINGS)

const OPERATIONS = ['publish', 'merge', 'promote', 'rollback', 'release', 'fleet']

/**
 * @param {number} seed
 * @returns {{ seed: number, operation: string, inputs: Record<string, string>, agentOptions: object,
 *   setup: string, faults: { kind: string, fault: object }[], runEnding: string, clockOffsetMs: number,
 *   clockJumpMs: number, agents: string[] }}
 */
export function planGate(seed) {
  const r = randomFrom(seed)
  const operation = r.pick(OPERATIONS)
  const runEnding = r.pick(RUN_ENDING_KINDS)
  const clockOffsetMs = r.pick([0, 0, 3 * 60_000, -3 * 60_000, 10 * 60_000, -10 * 60_000])
  const clockJumpMs = r.chance(0.2) ? r.pick([30_000, 5 * 60_000]) : 0
  const agentOptions = {
    testPlan: { all: { runs: r.int(1, 3), cases: r.int(1, 4), caseMs: r.int(20, 120), ...RUN_ENDINGS[runEnding] } },
    triggers: { promote: r.chance(0.5), rollback: r.chance(0.3) },
    mergeMode: r.pick(['deploy', 'draft']),
    simplified: operation === 'merge' && r.chance(0.2)
  }
  const faults = Array.from({ length: r.int(0, 3) }, () => {
    const kind = r.pick(FAULT_KINDS)
    return { kind, fault: FAULTS[kind](r) }
  })
  const inputs = {
    operation: operation === 'fleet' ? 'publish' : operation,
    timeout: '6s',
    'request-timeout': '2s',
    'poll-interval': '100ms',
    ...(r.chance(0.3) ? { 'rollback-on-failure': 'true' } : {}),
    ...(r.chance(0.2) ? { 'if-no-tests': 'pass' } : {}),
    ...operationInputs(operation, r)
  }
  return { seed, operation, inputs, agentOptions, setup: operation, faults, runEnding, clockOffsetMs, clockJumpMs, agents: operation === 'fleet' ? AGENTS : [AGENTS[0]] }
}

function operationInputs(operation, r) {
  if (operation === 'merge') return { branch: 'feature' }
  if (operation === 'promote') return { environment: r.pick(['pre-release', 'live']) }
  if (operation === 'rollback') return { environment: 'live' }
  if (operation === 'release') return { environment: r.pick(['pre-release', 'live']) }
  if (operation === 'fleet') return { 'agent-id': AGENTS.join(','), 'max-parallel': '2' }
  return {}
}

/** What each operation needs in place first, made long enough ago that no run of the step is theirs. */
export function setUpAgent(emulator, agentId, setup) {
  const ago = (hours) => emulator.now() - hours * HOUR
  if (setup === 'merge') emulator.addBranch(agentId, 'feature')
  if (setup === 'promote') {
    // A build tested in sandbox, then promoted to pre-release: its runs are evidence for either target.
    const built = emulator.seedDeployment(agentId, 'sandbox', { createdAt: ago(3) })
    emulator.seedTestRuns(agentId, 'sandbox', built.createdAt)
    emulator.seedDeployment(agentId, 'pre-release', { version: built.version, createdAt: ago(2) })
  }
  if (setup === 'rollback') {
    emulator.seedDeployment(agentId, 'live', { createdAt: ago(3) })
    emulator.seedDeployment(agentId, 'live', { createdAt: ago(2) })
  }
}
