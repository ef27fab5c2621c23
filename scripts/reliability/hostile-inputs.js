// Hostile inputs through the bundled action, generated with fast-check: each run must end with a clear
// verdict (exit 0 or 1), no stack trace, no key in any log, and no request whose path an ID could bend.
import fc from 'fast-check'
import { runAction } from '../run-action.js'
import { API_KEY, keyLeaks } from './run-scenario.js'

// An environment variable cannot hold NUL, so no runner can pass one: \u0001 stands in for it.
const hostileText = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('..', '.', '/', '%2e%2e', '%2F', 'a/../../b', '?x=1', '#frag', '\u0001', '\r\n::error::injected', ' ', '', '\u202e', 'x'.repeat(500))
  )
  .map((text) => text.split(String.fromCharCode(0)).join('\u0001'))

/** Mostly a sensible value, sometimes hostile text: so runs get past input checks and reach the API too. */
const mostly = (sensible) => fc.oneof({ arbitrary: sensible, weight: 6 }, { arbitrary: hostileText, weight: 1 })

const inputSets = fc.record(
  {
    operation: fc.constantFrom('list', 'active', 'publish', 'promote', 'rollback', 'wait', 'PUBLISH', 'deploy'),
    'agent-id': fc.oneof(hostileText, fc.constantFrom('agent-1', ' agent-1 ', 'a/b', 'a?b#c', '%2e%2e', 'ä€𝄞')),
    environment: mostly(fc.constantFrom('sandbox', 'pre-release', 'live')),
    'deployment-id': mostly(fc.constantFrom('dep_x', '../deployments/active', 'a/b', '%2F')),
    'test-run-ids': mostly(fc.constantFrom('run_1', '["run_1","../x"]', 'a,b\nc')),
    timeout: mostly(fc.constant('2s')),
    'poll-interval': mostly(fc.constant('100ms')),
    message: hostileText,
    limit: mostly(fc.constant('5')),
    'wait-for-tests': fc.constantFrom('false', 'true', 'no', 'maybe')
  },
  { requiredKeys: ['operation', 'agent-id'] }
)

/** The input sets to try: the same ones every time for a given seed and count. */
export function hostileInputSets(count, seed = 20261129) {
  return fc.sample(inputSets, { numRuns: count, seed })
}

/** Runs one input set against the (reset) emulator; returns the problems found. */
export async function tryInputs(emulator, inputs, options = {}) {
  emulator.reset()
  const result = await runAction({ 'api-key': API_KEY, 'base-url': emulator.url, ...inputs }, { node: options.node })
  const problems = []
  const errorLines = result.stdout.split('\n').filter((line) => line.startsWith('::error'))
  if (result.code !== 0 && result.code !== 1) problems.push(`exit code ${result.code}`)
  if (result.code === 1 && errorLines.length === 0) problems.push('failed without an error line')
  if (/\n\s+at .+:\d+:\d+/.test(result.stdout + result.stderr)) problems.push('a stack trace was printed')
  if (/^Unexpected error/m.test(errorLines.join('\n').replace(/^::error[^:]*::/gm, ''))) problems.push(`an unexpected error: ${errorLines.join(' | ')}`)
  const leaks = keyLeaks(result, API_KEY)
  if (leaks > 0) problems.push(`the key appeared in ${leaks} place(s)`)
  const inputError = errorLines.some((line) => line.replace(/^::error[^:]*::/, '').startsWith("Input '"))
  if (inputError && emulator.requests.length > 0) problems.push(`an input error came after ${emulator.requests.length} request(s)`)
  const agentId = String(inputs['agent-id']).trim()
  for (const request of emulator.requests) {
    const parts = request.path.split('/')
    if (parts[1] !== 'v1' || parts[2] !== 'agents' || decodeURIComponent(parts[3]) !== agentId) {
      problems.push(`a request to ${request.path} does not keep agent-id as one segment`)
    }
  }
  return { problems, requests: emulator.requests.length, code: result.code }
}
