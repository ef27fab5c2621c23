import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { runAction } from '../../scripts/run-action.js'
import { API_KEY, emulatorWith, errors, expectClean, MACHINE_NODE, QUICK_TESTS, run } from './harness.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await emulatorWith({ 'agent-1': QUICK_TESTS })
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())

describe('bad input fails before any request, naming the input and what it accepts', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['unknown operation', { operation: 'deploy' }, /^Input 'operation' must be one of list, active, publish, merge, promote, rollback, wait, release; got 'deploy'$/],
    ['unknown environment', { operation: 'publish', environment: 'prod' }, /^Input 'environment' must be one of sandbox, pre-release, live; got 'prod'$/],
    ['promote into sandbox', { operation: 'promote', environment: 'sandbox' }, /^Input 'environment' cannot be sandbox for promote: sandbox is only ever published to$/],
    ['promote without a target', { operation: 'promote' }, /^Input 'environment' is required for promote/],
    ['list without an environment', { operation: 'list' }, /^Input 'environment' is required for list/],
    ['rollback with neither', { operation: 'rollback' }, /^Input 'environment' is required for rollback unless deployment-id/],
    ['wait without IDs', { operation: 'wait' }, /^Input 'test-run-ids' is required for wait/],
    ['IDs outside wait', { operation: 'publish', 'test-run-ids': 'a,b' }, /^Input 'test-run-ids' is only used by wait/],
    ['deployment-id with publish', { operation: 'publish', 'deployment-id': 'dep_1' }, /^Input 'deployment-id' is only used by promote, rollback and release/],
    ['a bad timeout', { operation: 'publish', timeout: 'soon' }, /^Input 'timeout' must be a duration such as 90s, 15m, 1h or plain seconds; got 'soon'$/],
    ['a bad poll-interval', { operation: 'publish', 'poll-interval': '-1s' }, /^Input 'poll-interval' must be a duration/],
    // Past Node's timer limit (~24.8 days) a wait would end at once, or the step crash after its write.
    ['a timeout in plain seconds past the timer limit', { operation: 'publish', timeout: '3000000' }, /^Input 'timeout' must be at most 24h; got '3000000'$/],
    ['a timeout of 999999h', { operation: 'publish', timeout: '999999h' }, /^Input 'timeout' must be at most 24h; got '999999h'$/],
    ['a request-timeout of 600h', { operation: 'active', 'request-timeout': '600h' }, /^Input 'request-timeout' must be at most 10m; got '600h'$/],
    ['a poll-interval of 1ms', { operation: 'publish', 'poll-interval': '1ms' }, /^Input 'poll-interval' must be at least 100ms; got '1ms'$/],
    ['a short timeout alone', { operation: 'publish', timeout: '3s', 'poll-interval': '' }, /^Input 'timeout' must be at least poll-interval \(5s, its default too\); got '3s'/],
    ['a bad boolean', { operation: 'publish', 'wait-for-tests': 'maybe' }, /^Input 'wait-for-tests' must be true or false; got 'maybe'$/],
    ['a bad if-unchanged', { operation: 'publish', 'if-unchanged': 'ignore' }, /^Input 'if-unchanged' must be one of pass, fail/],
    ['a bad limit', { operation: 'list', environment: 'live', limit: '0' }, /^Input 'limit' must be a whole number from 1 to 1000; got '0'$/],
    ['a bad region', { operation: 'active', 'base-url': '', region: 'mars' }, /^Input 'region' must be one of us, uk, eu, studio, dev; got 'mars'$/],
    ['an http base-url', { operation: 'active', 'base-url': 'http://api.example.com' }, /^Input 'base-url' must use https:\/\//],
    ['credentials in base-url', { operation: 'active', 'base-url': 'https://user:pw@api.example.com' }, /^Input 'base-url' must not contain credentials$/],
    ['a dot-dot agent', { operation: 'active', 'agent-id': '..' }, /^Input 'agent-id' must be an ID, not '..'$/],
    ['a blank agent', { operation: 'active', 'agent-id': '   ' }, /^Input 'agent-id' is required$/],
    ['a control character', { operation: 'promote', environment: 'live', 'deployment-id': 'dep\u0007x' }, /^Input 'deployment-id' must not contain control characters$/]
  ]
  it.each(cases)('%s', async (_name, inputs, message) => {
    const result = await run(emulator, inputs)
    expectClean(result)
    expect(result.code).toBe(1)
    expect(errors(result)).toHaveLength(1)
    expect(errors(result)[0]).toMatch(message)
    expect(emulator.requests).toHaveLength(0)
    // Reported as any failed step is: a summary saying why, and results for an `if: always()` step.
    expect(result.summary).toMatch(/^## PolyAI release gate: ❌ Failed\n\n\*\*Why:\*\* Input '/)
    expect(result.summary).toContain('Nothing was sent to the PolyAI API.')
    expect(JSON.parse(result.outputs.results)).toEqual([{ agentId: null, operation: null, status: 'failed', error: errors(result)[0] }])
  })

  it('requires the key, without echoing anything of it', async () => {
    const result = await runAction({ 'agent-id': 'agent-1', operation: 'active', 'base-url': emulator.url }, { node: MACHINE_NODE })
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual(["Input 'api-key' is required"])
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('API errors name the status, error_code, message and correlation id', () => {
  it('a wrong key (401)', async () => {
    const result = await run(emulator, { operation: 'active', 'api-key': 'wrong-key-123' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const [line] = errors(result)
    const correlationId = emulator.requests[0].headers['x-polyai-correlation-id'] as string
    expect(line).toBe(
      `GET /v1/agents/agent-1/deployments/active failed: HTTP 401 UNAUTHORIZED: ${emulatorMessage(line)} (correlation id ${correlationId}). Check that api-key is a valid workspace API key, and that region (or base-url) is the one the key belongs to: a key of another region is refused with 401.`
    )
    expect(result.stdout.split('\n').filter((text) => !text.startsWith('::add-mask::')).join('\n')).not.toContain('wrong-key-123')
  })

  it('an unknown deployment (404)', async () => {
    const result = await run(emulator, { operation: 'rollback', 'deployment-id': 'dep_missing' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^POST \/v1\/agents\/agent-1\/deployments\/dep_missing\/rollback failed: HTTP 404 DEPLOYMENT_NOT_FOUND: .+ \(correlation id [0-9a-f-]{36}\)\. Check agent-id, deployment-id and region\.$/)
    expect(result.summary).toContain('HTTP 404 DEPLOYMENT_NOT_FOUND')
  })

  it('a publish refused (400): the outputs still name the environment, for a step that reports the failure', async () => {
    emulator.injectFault({ method: 'POST', path: '/deployments/publish$', kind: 'status', status: 400, errorCode: 'FUNCTIONS_DEPLOYMENT_HAS_ERRORS' })
    const result = await run(emulator, { operation: 'publish', environment: 'sandbox' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^POST \/v1\/agents\/agent-1\/deployments\/publish failed: HTTP 400 FUNCTIONS_DEPLOYMENT_HAS_ERRORS/)
    expect(result.outputs.environment).toBe('sandbox')
    expect(result.outputs['deployment-id']).toBeUndefined()
  })

  it('an answer that is not JSON, or not the expected shape', async () => {
    emulator.injectFault({ method: 'GET', path: '/deployments/active$', kind: 'body', body: '<html>gateway</html>' })
    const html = await run(emulator, { operation: 'active' })
    expectClean(html)
    expect(html.code).toBe(1)
    expect(errors(html)[0]).toMatch(/HTTP 200 INVALID_RESPONSE: the answer was not JSON \(correlation id /)

    emulator.injectFault({ method: 'GET', path: '/deployments/active$', kind: 'body', body: '{"activeDeployments":{"live":{"id":"x"}}}' })
    const partial = await run(emulator, { operation: 'active' })
    expect(partial.code).toBe(1)
    expect(errors(partial)[0]).toMatch(/INVALID_RESPONSE: unexpected answer: answer\.activeDeployments\.live\.environment is missing or not a string/)
    expect(partial.outputs['active-deployments']).toBeUndefined()
  })

  it('a redirect is refused, never followed', async () => {
    emulator.injectFault({ kind: 'redirect', location: 'http://127.0.0.1:9/steal', times: 10 })
    const result = await run(emulator, { operation: 'active' })
    expectClean(result)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/HTTP 302 REDIRECT_REFUSED: redirect to http:\/\/127\.0\.0\.1:9\/steal refused/)
  })
})

/** The emulator's own wording, taken from the line so the test checks the structure around it. */
function emulatorMessage(line: string): string {
  return /UNAUTHORIZED: (.+) \(correlation id/.exec(line)?.[1] ?? '(missing)'
}

it('never prints the key, even where an API error echoes it', async () => {
  const echoed = { success: false, error: 'bad', error_id: 'e1', error_code: 'BAD_KEY', error_message: `key ${API_KEY} is bad`, data: null }
  emulator.injectFault({ kind: 'body', status: 400, body: JSON.stringify(echoed) })
  const result = await run(emulator, { operation: 'active' })
  expectClean(result)
  expect(result.code).toBe(1)
  expect(errors(result)[0]).toBe('GET /v1/agents/agent-1/deployments/active failed: HTTP 400 BAD_KEY: key *** is bad (correlation id e1)')
})
