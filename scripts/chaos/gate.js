// Runs one chaos gate: a fresh emulator in the plan's mode, its faults, the bundle as a runner starts
// it, then the invariants against the emulator's own state.
import { startEmulator } from '../../emulator/server.js'
import { runAction } from '../run-action.js'
import { checkInvariants } from './invariants.js'
import { setUpAgent } from './plan.js'

export const API_KEY = 'chaos-key-8c41f0e2'
const OVERSIZED = JSON.stringify({ activeDeployments: {}, padding: 'x'.repeat(9 * 1024 * 1024) })

/**
 * @param {ReturnType<typeof import('./plan.js').planGate>} plan
 * @param {{ node?: string, checkTime?: boolean }} [options]
 */
export async function runGate(plan, options = {}) {
  const emulator = await startEmulator({
    apiKey: API_KEY,
    agents: Object.fromEntries(plan.agents.map((agentId) => [agentId, plan.agentOptions])),
    clockOffsetMs: plan.clockOffsetMs
  })
  try {
    for (const agentId of plan.agents) setUpAgent(emulator, agentId, plan.setup)
    for (const { fault } of plan.faults) emulator.injectFault(fault.body === 'oversized' ? { ...fault, body: OVERSIZED } : fault)
    if (plan.clockJumpMs) jumpOnFirstPoll(emulator, plan.clockOffsetMs + plan.clockJumpMs)
    const before = new Map(plan.agents.map((agentId) => [agentId, emulator.deployments(agentId).map((deployment) => deployment.id)]))
    const result = await runAction(
      { 'api-key': API_KEY, 'agent-id': plan.agents[0], 'base-url': emulator.url, ...plan.inputs },
      { node: options.node }
    )
    const problems = checkInvariants(plan, { result, emulator, before, apiKey: API_KEY, checkTime: options.checkTime ?? false })
    return { plan, result, problems }
  } finally {
    await emulator.close()
  }
}

/** The server's clock jumps forward once the step starts polling: what a resynchronised clock does. */
function jumpOnFirstPoll(emulator, offsetMs) {
  const stop = emulator.observe((entry, phase) => {
    if (phase !== 'arrived' || !entry.path.includes('/testing/test-runs/')) return
    emulator.setClockOffset(offsetMs)
    stop()
  })
}
