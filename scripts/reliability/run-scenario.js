// Runs one fault scenario: a fresh emulator, the faults, the bundled action as a runner starts it,
// then every check. Returns the problems found (none when the action survived) and the counts.
import { createServer } from 'node:http'
import { startEmulator } from '../../emulator/server.js'
import { runAction } from '../run-action.js'

export const API_KEY = 'reliability-key-5d1e8b'
const AGENT = 'agent-1'

/** A second loopback server that must never be reached: the target of a redirect. */
async function startTrap() {
  const received = []
  const server = createServer((request, response) => {
    received.push({ method: request.method, url: request.url, headers: request.headers })
    response.end('{}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/steal`, received, close: () => new Promise((resolve) => server.close(resolve)) }
}

function concreteFault(fault, trap) {
  const concrete = { ...fault }
  if (fault.retryAfter?.startsWith('httpdate+')) {
    // An HTTP date has whole seconds: from the next whole second, so that rounding down does not eat
    // most of a second of the wait before the step has even started.
    concrete.retryAfter = new Date(Math.ceil(Date.now() / 1000) * 1000 + Number(fault.retryAfter.slice(9)) * 1000).toUTCString()
  }
  if (fault.body === 'oversized') concrete.body = JSON.stringify({ activeDeployments: {}, padding: 'x'.repeat(9 * 1024 * 1024) })
  if (fault.location === 'trap') concrete.location = trap.url
  return concrete
}

/** Deployments made an hour and half an hour ago: far enough back that no run of this step could be theirs. */
function setUp(emulator, setup) {
  const ago = (minutes) => emulator.now() - minutes * 60_000
  if (setup === 'sandbox') emulator.seedDeployment(AGENT, 'sandbox', { version: 'v1', createdAt: ago(60) })
  if (setup === 'history') {
    emulator.seedDeployment(AGENT, 'live', { version: 'v1', createdAt: ago(60) })
    emulator.seedDeployment(AGENT, 'live', { version: 'v2', createdAt: ago(30) })
  }
}

const countDeployments = (emulator) => emulator.deployments(AGENT).length

/** Every place the key could leak to: the log (bar the mask command the runner consumes), the summary, the outputs. */
export function keyLeaks(result, apiKey, extra = []) {
  const log = (result.stdout + result.stderr).split('\n').filter((line) => !line.startsWith('::add-mask::'))
  const places = [...log, result.summary, ...Object.values(result.outputs), ...extra]
  return places.filter((text) => text.includes(apiKey)).length
}

export async function runScenario(scenario, options = {}) {
  const trap = scenario.expect.trapUntouched ? await startTrap() : undefined
  const emulator = await startEmulator({
    apiKey: API_KEY,
    // Promote and rollback trigger runs here, so that each write's runs can be found after a lost answer.
    agents: { [AGENT]: { testPlan: { all: { runs: 2, cases: 3, caseMs: 60, ...scenario.plan } }, triggers: { promote: true, rollback: true } } }
  })
  try {
    setUp(emulator, scenario.setup)
    for (const fault of scenario.faults ?? []) emulator.injectFault(concreteFault(fault, trap))
    const before = countDeployments(emulator)
    const result = await runAction(
      { 'api-key': API_KEY, 'agent-id': AGENT, 'base-url': emulator.url, 'poll-interval': '100ms', ...scenario.inputs },
      { node: options.node }
    )
    const created = countDeployments(emulator) - before
    const posts = emulator.requests.filter((request) => request.method === 'POST').length
    const problems = check(scenario.expect, { result, emulator, created, posts, trap, faults: scenario.faults ?? [] })
    const leaks = keyLeaks(result, API_KEY, trap ? trap.received.map((request) => JSON.stringify(request)) : [])
    if (leaks > 0) problems.push(`the key appeared in ${leaks} place(s)`)
    const duplicates = scenario.expect.created === undefined ? 0 : Math.max(0, created - scenario.expect.created)
    return { name: scenario.name, group: scenario.group, problems, duplicates, leaks, created, posts, requests: emulator.requests.length, result }
  } finally {
    await emulator.close()
    await trap?.close()
  }
}

const errorLines = (result) =>
  result.stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .map((line) => line.slice('::error::'.length))

function check(expect, { result, emulator, created, posts, trap, faults }) {
  const problems = []
  const log = result.stdout + result.stderr
  if (result.code !== expect.code) problems.push(`exit code ${result.code}, expected ${expect.code}: ${errorLines(result).join(' | ')}`)
  if (/\n\s+at .+:\d+:\d+/.test(log)) problems.push('a stack trace was printed')
  if (emulator.contractViolations.length > 0) problems.push(`contract violations: ${emulator.contractViolations.join('; ')}`)
  if (expect.created !== undefined && created !== expect.created) problems.push(`${created} deployment(s) created, expected ${expect.created}`)
  if (expect.posts !== undefined && posts !== expect.posts) problems.push(`${posts} write(s) sent, expected ${expect.posts}`)
  if (expect.error && !errorLines(result).some((line) => expect.error.test(line))) {
    problems.push(`no error line matched ${expect.error}: ${errorLines(result).join(' | ') || '(none)'}`)
  }
  for (const [name, value] of Object.entries(expect.outputs ?? {})) {
    if (result.outputs[name] !== value) problems.push(`output ${name} was ${JSON.stringify(result.outputs[name])}, expected ${JSON.stringify(value)}`)
  }
  for (const [name, value] of Object.entries(result.outputs)) {
    if (value === 'undefined' || value === 'null' || value === 'NaN') problems.push(`output ${name} is ${value}`)
  }
  if (expect.requests !== undefined) {
    const path = faults[0].path
    const matching = emulator.requests.filter((request) => new RegExp(path).test(request.path)).length
    if (matching !== expect.requests) problems.push(`${matching} request(s) to ${path}, expected ${expect.requests}`)
  }
  if (expect.minGapMs !== undefined) {
    const throttledAt = emulator.requests.find((request) => request.status === 429)?.at
    const next = emulator.requests.find((request) => throttledAt !== undefined && request.at > throttledAt)?.at
    if (throttledAt === undefined || next === undefined || next - throttledAt < expect.minGapMs) {
      problems.push(`the request after the 429 came ${next - throttledAt} ms later, expected at least ${expect.minGapMs} ms`)
    }
  }
  if (trap && trap.received.length > 0) problems.push(`the redirect target received ${trap.received.length} request(s)`)
  return problems
}
