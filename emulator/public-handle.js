// The object startEmulator returns: what a test reads of the server and the levers it pulls
// (see server.d.ts). Plain properties and arrow functions, so a test may pass a method around alone.

/**
 * @typedef {import('./state.js').EmulatorState} EmulatorState
 * @typedef {{ url: string, server: import('node:http').Server, state: EmulatorState,
 *   faults: import('./faults.js').FaultQueue, traffic: import('./traffic.js').Traffic,
 *   log: import('./request-log.js').RequestLog, contractViolations: string[],
 *   setClockOffset: (ms: number) => void }} HandleParts
 */

/** @param {HandleParts} parts */
export function publicHandle({ url, server, state, faults, traffic, log, contractViolations, setClockOffset }) {
  return {
    url,
    requests: log.entries,
    contractViolations,
    get throttled() {
      return traffic.throttled
    },
    /** The most requests that were open at the same moment: a client's concurrency, seen from the server. */
    get mostInFlight() {
      return traffic.mostInFlight
    },
    /** @param {string} [agentId] the POST requests that created a deployment */
    writes: (agentId) => log.writes(agentId),
    ...stateMethods(state),
    /** Moves the server's clock against the runner's. @param {number} ms */
    setClockOffset: (ms) => setClockOffset(ms),
    /**
     * Calls `observer` as each request arrives and again once the server has acted on it (before
     * any answer): where a test kills the client at a chosen moment. Returns a function that stops it.
     * @param {import('./request-log.js').Observer} observer
     */
    observe: (observer) => log.observe(observer),
    /** @param {import('./faults.js').Fault} fault */
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    reset() {
      state.reset()
      faults.clear()
      traffic.reset()
      log.clear()
      contractViolations.length = 0
    },
    /** Stops listening and destroys every open socket, hung ones included. @returns {Promise<void>} */
    close: () => traffic.close(server)
  }
}

/** What a test seeds and reads of the API's data: straight through to the state. @param {EmulatorState} state */
function stateMethods(state) {
  return {
    /** @param {string} agentId @param {import('./state.js').AgentOptions} agentOptions */
    configureAgent: (agentId, agentOptions) => state.configureAgent(agentId, agentOptions),
    /** @param {string} agentId @param {string} version */
    setDraft: (agentId, version) => state.setDraft(agentId, version),
    /** @type {EmulatorState['seedDeployment']} */
    seedDeployment: (agentId, environment, fields) => state.seedDeployment(agentId, environment, fields),
    /** @type {EmulatorState['addBranch']} */
    addBranch: (agentId, name, fields) => state.addBranch(agentId, name, fields),
    /** @param {string} agentId */
    branches: (agentId) => state.branches(agentId),
    /** @type {EmulatorState['seedTestRuns']} */
    seedTestRuns: (agentId, environment, startedAt) => state.seedTestRuns(agentId, environment, startedAt),
    /** The server's clock, in ms. */
    now: () => state.now(),
    /** @param {string} agentId @param {string} [environment] */
    deployments: (agentId, environment) => state.deployments(agentId, environment),
    /** @param {string} agentId */
    active: (agentId) => state.active(agentId),
    /** @param {string} agentId @param {string} runId */
    testRun: (agentId, runId) => state.testRun(agentId, runId),
    /** @param {string} agentId @param {string} runId */
    runFinishesAt: (agentId, runId) => state.runFinishesAt(agentId, runId)
  }
}
