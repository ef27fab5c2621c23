import { describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { baseUrlFrom, defaultMessage, DEFAULTS, readConfig, type GitHubEnv } from '../../src/config/inputs.js'

const BASE: Record<string, string> = { 'api-key': 'secret-key', 'agent-id': 'agent-1', operation: 'active' }

function config(values: Record<string, string>, env: GitHubEnv = {}) {
  const all = { ...BASE, ...values }
  return readConfig((name) => all[name] ?? '', env)
}

function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('readConfig defaults', () => {
  it('applies every default from action.yml when inputs are empty', () => {
    const result = config({})
    expect(result).toEqual({
      agentId: 'agent-1',
      agentIds: ['agent-1'],
      operation: 'active',
      environment: undefined,
      deploymentId: undefined,
      message: 'Deployed by polyai-release-gate',
      messageGiven: false,
      runAttempt: 1,
      baseUrl: 'https://api.us.poly.ai',
      waitForTests: true,
      testRunIds: [],
      timeoutMs: 30 * 60_000,
      pollIntervalMs: 5000,
      requestTimeoutMs: 30_000,
      failOnTestFailure: true,
      rollbackOnFailure: false,
      ifUnchanged: 'pass',
      ifNoTests: 'fail',
      allowDowngrade: false,
      branch: undefined,
      mergeConflicts: 'fail',
      limit: 20,
      dryRun: false,
      maxParallel: 4,
      failFast: false
    })
  })

  it('reads the attempt of a re-run from the runner, and takes anything else as a first attempt', () => {
    expect(config({}, { GITHUB_RUN_ATTEMPT: '3' }).runAttempt).toBe(3)
    expect(config({}, { GITHUB_RUN_ATTEMPT: 'x' }).runAttempt).toBe(1)
    expect(config({}, { GITHUB_RUN_ATTEMPT: '0' }).runAttempt).toBe(1)
  })

  it('treats a whitespace-only input as unset', () => {
    expect(config({ timeout: '   ', region: ' ' })).toMatchObject({ timeoutMs: 1_800_000, baseUrl: 'https://api.us.poly.ai' })
  })

  it('trims values and parses every typed input', () => {
    const result = config({
      operation: ' PUBLISH ', 'agent-id': ' agent-9 ', 'wait-for-tests': 'no', timeout: '10m', 'poll-interval': '2s',
      'request-timeout': '5s', 'fail-on-test-failure': 'false', 'rollback-on-failure': 'yes', 'if-unchanged': 'FAIL',
      limit: '7', message: 'hello', region: 'eu'
    })
    expect(result).toMatchObject({
      operation: 'publish', agentId: 'agent-9', environment: 'sandbox', waitForTests: false, timeoutMs: 600_000,
      pollIntervalMs: 2000, requestTimeoutMs: 5000, failOnTestFailure: false, rollbackOnFailure: true,
      ifUnchanged: 'fail', limit: 7, message: 'hello', baseUrl: 'https://api.eu.poly.ai'
    })
  })

  it('declares defaults only for optional inputs', () => {
    expect(Object.keys(DEFAULTS)).not.toEqual(expect.arrayContaining(['api-key']))
    expect(DEFAULTS['agent-id']).toBeUndefined()
  })
})

describe('readConfig errors name the input', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['missing api-key', { 'api-key': '' }, 'api-key'],
    ['missing agent-id', { 'agent-id': ' ' }, 'agent-id'],
    ['dot agent-id', { 'agent-id': '..' }, 'agent-id'],
    ['missing operation', { operation: '' }, 'operation'],
    ['unknown operation', { operation: 'deploy' }, 'operation'],
    ['unknown environment', { environment: 'prod' }, 'environment'],
    ['bad deployment-id', { operation: 'rollback', 'deployment-id': 'a\u0001' }, 'deployment-id'],
    ['bad test-run-ids JSON', { operation: 'wait', 'test-run-ids': '["a"' }, 'test-run-ids'],
    ['test-run id that is a dot', { operation: 'wait', 'test-run-ids': 'a,.' }, 'test-run-ids'],
    ['bad region', { region: 'asia' }, 'region'],
    ['bad base-url', { 'base-url': 'not a url' }, 'base-url'],
    ['bad wait-for-tests', { 'wait-for-tests': 'maybe' }, 'wait-for-tests'],
    ['bad timeout', { timeout: 'forever' }, 'timeout'],
    ['bad poll-interval', { 'poll-interval': '0s' }, 'poll-interval'],
    ['bad request-timeout', { 'request-timeout': '-1' }, 'request-timeout'],
    ['bad fail-on-test-failure', { 'fail-on-test-failure': 'x' }, 'fail-on-test-failure'],
    ['bad rollback-on-failure', { 'rollback-on-failure': 'x' }, 'rollback-on-failure'],
    ['bad if-unchanged', { 'if-unchanged': 'skip' }, 'if-unchanged'],
    ['bad if-no-tests', { 'if-no-tests': 'warn' }, 'if-no-tests'],
    ['bad allow-downgrade', { 'allow-downgrade': 'sometimes' }, 'allow-downgrade'],
    ['bad merge-conflicts', { operation: 'merge', branch: 'b', 'merge-conflicts': 'mine' }, 'merge-conflicts'],
    ['merge without branch', { operation: 'merge' }, 'branch'],
    ['merge of main', { operation: 'merge', branch: 'main' }, 'branch'],
    ['merge with an environment', { operation: 'merge', branch: 'b', environment: 'sandbox' }, 'environment'],
    ['branch with publish', { operation: 'publish', branch: 'b' }, 'branch'],
    ['branch and deployment-id for release', { operation: 'release', branch: 'b', 'deployment-id': 'd' }, 'deployment-id'],
    ['limit too big', { limit: '1001' }, 'limit'],
    ['limit zero', { limit: '0' }, 'limit'],
    ['list without environment', { operation: 'list' }, 'environment'],
    ['promote without environment', { operation: 'promote' }, 'environment'],
    ['promote to sandbox', { operation: 'promote', environment: 'sandbox' }, 'environment'],
    ['rollback with neither environment nor deployment-id', { operation: 'rollback' }, 'environment'],
    ['deployment-id with publish', { operation: 'publish', 'deployment-id': 'dep-1' }, 'deployment-id'],
    ['deployment-id with list', { operation: 'list', environment: 'live', 'deployment-id': 'dep-1' }, 'deployment-id'],
    ['deployment-id with active', { 'deployment-id': 'dep-1' }, 'deployment-id'],
    ['deployment-id with wait', { operation: 'wait', 'test-run-ids': 'r1', 'deployment-id': 'dep-1' }, 'deployment-id'],
    ['wait without test-run-ids', { operation: 'wait' }, 'test-run-ids'],
    ['wait with an empty JSON array', { operation: 'wait', 'test-run-ids': '[]' }, 'test-run-ids'],
    ['test-run-ids with publish', { operation: 'publish', 'test-run-ids': 'r1' }, 'test-run-ids'],
    ['test-run-ids with promote', { operation: 'promote', environment: 'live', 'test-run-ids': 'r1' }, 'test-run-ids'],
    ['test-run-ids with active', { 'test-run-ids': '["r1"]' }, 'test-run-ids'],
    ['poll-interval longer than timeout', { timeout: '10s', 'poll-interval': '11s' }, 'poll-interval'],
    // poll-interval was never set: it is the timeout that is too short.
    ['a timeout shorter than the default poll-interval', { timeout: '4s' }, 'timeout'],
    ['timeout past 24h', { timeout: '24.01h' }, 'timeout'],
    ['timeout in plain seconds past 24h', { timeout: '3000000' }, 'timeout'],
    ['poll-interval past 24h', { timeout: '24h', 'poll-interval': '25h' }, 'poll-interval'],
    ['poll-interval below 100ms', { 'poll-interval': '99ms' }, 'poll-interval'],
    ['request-timeout past 10m', { 'request-timeout': '601' }, 'request-timeout'],
    ['request-timeout below 1s', { 'request-timeout': '999ms' }, 'request-timeout'],
    ['api-key with a curly quote pasted in', { 'api-key': 'abc\u2019def' }, 'api-key'],
    ['api-key with a space inside', { 'api-key': 'abc def' }, 'api-key'],
    ['api-key too short to be a key', { 'api-key': 'k3y' }, 'api-key'],
    ['an environment for wait, which has none', { operation: 'wait', 'test-run-ids': 'r1', environment: 'live' }, 'environment'],
    ['wait that is told not to wait', { operation: 'wait', 'test-run-ids': 'r1', 'wait-for-tests': 'false' }, 'wait-for-tests']
  ]
  it.each(cases)('%s', (_name, values, input) => {
    const error = inputError(() => config(values))
    expect(error.message.startsWith(`Input '${input}' `)).toBe(true)
  })

  it('explains the contradictions', () => {
    expect(inputError(() => config({ operation: 'publish', 'deployment-id': 'd' })).message).toBe(
      "Input 'deployment-id' is only used by promote, rollback and release, not by publish"
    )
    expect(inputError(() => config({ operation: 'list', environment: 'live', 'test-run-ids': 'r' })).message).toBe(
      "Input 'test-run-ids' is only used by wait, not by list"
    )
    expect(inputError(() => config({ timeout: '1s', 'poll-interval': '2s' })).message).toBe(
      "Input 'poll-interval' must not be longer than timeout ('1s'); got '2s'"
    )
    expect(inputError(() => config({ timeout: '3s' })).message).toBe(
      "Input 'timeout' must be at least poll-interval (5s, its default too); got '3s'. For a shorter timeout, set a shorter poll-interval too"
    )
  })

  it('names each duration limit', () => {
    expect(inputError(() => config({ timeout: '999999h' })).message).toBe("Input 'timeout' must be at most 24h; got '999999h'")
    expect(inputError(() => config({ 'poll-interval': '1ms' })).message).toBe("Input 'poll-interval' must be at least 100ms; got '1ms'")
    expect(inputError(() => config({ 'poll-interval': '2d' })).message).toMatch(/^Input 'poll-interval' must be a duration/)
    expect(inputError(() => config({ 'request-timeout': '600h' })).message).toBe("Input 'request-timeout' must be at most 10m; got '600h'")
  })

  it('accepts each duration at its limit', () => {
    expect(config({ timeout: '24h', 'poll-interval': '24h', 'request-timeout': '10m' })).toMatchObject({ timeoutMs: 86_400_000, pollIntervalMs: 86_400_000, requestTimeoutMs: 600_000 })
    expect(config({ timeout: '1s', 'poll-interval': '100ms' })).toMatchObject({ timeoutMs: 1000, pollIntervalMs: 100 })
  })

  it('never puts the API key in an error', () => {
    const error = inputError(() => config({ 'api-key': 'sk-very-secret', operation: 'nope' }))
    expect(error.message).not.toContain('sk-very-secret')
  })
})

describe('readConfig per-operation environment', () => {
  const cases: [string, Record<string, string>, string | undefined][] = [
    ['publish defaults to sandbox', { operation: 'publish' }, 'sandbox'],
    ['publish to live', { operation: 'publish', environment: 'live' }, 'live'],
    ['list live', { operation: 'list', environment: 'Live' }, 'live'],
    ['promote to pre-release', { operation: 'promote', environment: 'pre-release' }, 'pre-release'],
    ['promote to live with a deployment', { operation: 'promote', environment: 'live', 'deployment-id': 'd1' }, 'live'],
    ['rollback by environment', { operation: 'rollback', environment: 'live' }, 'live'],
    ['rollback by deployment only', { operation: 'rollback', 'deployment-id': 'd1' }, undefined],
    ['active without environment', {}, undefined],
    ['active with environment', { environment: 'sandbox' }, 'sandbox'],
    ['wait without environment', { operation: 'wait', 'test-run-ids': 'r1' }, undefined],
    ['merge: the platform decides', { operation: 'merge', branch: 'feature' }, undefined]
  ]
  it.each(cases)('%s', (_name, values, environment) => {
    expect(config(values).environment).toBe(environment)
  })

  it('reads the merge inputs', () => {
    expect(config({ operation: 'merge', branch: ' Feature X ', 'merge-conflicts': 'Theirs' })).toMatchObject({ branch: 'Feature X', mergeConflicts: 'theirs' })
    expect(config({ operation: 'release', branch: 'b', 'if-no-tests': 'pass', 'allow-downgrade': 'true' })).toMatchObject({ branch: 'b', ifNoTests: 'pass', allowDowngrade: true })
  })

  it('keeps deployment-id for promote and rollback', () => {
    expect(config({ operation: 'promote', environment: 'live', 'deployment-id': ' d-7 ' }).deploymentId).toBe('d-7')
    expect(config({ operation: 'rollback', 'deployment-id': 'd-8' }).deploymentId).toBe('d-8')
  })

  it('reads test-run-ids for wait in every list form', () => {
    expect(config({ operation: 'wait', 'test-run-ids': 'r1, r2\nr3' }).testRunIds).toEqual(['r1', 'r2', 'r3'])
    expect(config({ operation: 'wait', 'test-run-ids': '["r1","r2"]' }).testRunIds).toEqual(['r1', 'r2'])
  })

  it('allows poll-interval equal to timeout', () => {
    expect(config({ timeout: '5s', 'poll-interval': '5000ms' })).toMatchObject({ timeoutMs: 5000, pollIntervalMs: 5000 })
  })

  it('makes the message from the GitHub context when none is given', () => {
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abcdef123456', GITHUB_REF_NAME: 'main' }
    expect(config({}, env).message).toBe('o/r@abcdef1 (main)')
    expect(config({ message: 'mine' }, env).message).toBe('mine')
  })
})

describe('baseUrlFrom', () => {
  const regions: [string, string][] = [
    ['us', 'https://api.us.poly.ai'],
    ['uk', 'https://api.uk.poly.ai'],
    ['eu', 'https://api.eu.poly.ai'],
    ['studio', 'https://api.studio.poly.ai'],
    ['dev', 'https://api.dev.poly.ai'],
    [' UK ', 'https://api.uk.poly.ai']
  ]
  it.each(regions)('region %j maps to %s', (region, url) => {
    expect(baseUrlFrom('', region)).toBe(url)
  })

  const good: [string, string][] = [
    ['https://api.example.com', 'https://api.example.com'],
    ['https://api.example.com/', 'https://api.example.com'],
    ['https://api.example.com/prefix//', 'https://api.example.com/prefix'],
    ['https://api.example.com/v10', 'https://api.example.com/v10'],
    ['HTTPS://API.Example.COM:8443/x', 'https://api.example.com:8443/x'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://LOCALHOST', 'http://localhost'],
    ['http://[::1]:4010', 'http://[::1]:4010']
  ]
  it.each(good)('accepts %s', (input, expected) => {
    // base-url wins over region, even an invalid one.
    expect(baseUrlFrom(input, 'nowhere')).toBe(expected)
  })

  const bad: [string, string][] = [
    ['not a url', 'must be an absolute URL'],
    ['/v1/agents', 'must be an absolute URL'],
    ['api.example.com', 'must be an absolute URL'],
    ['http://api.example.com', 'must use https://'],
    ['http://127.0.0.2', 'must use https://'],
    ['http://127.0.0.1.nip.io', 'must use https://'],
    ['http://localhost.example.com', 'must use https://'],
    ['http://[::2]', 'must use https://'],
    ['ftp://localhost', 'must use https://'],
    ['file:///etc/passwd', 'must use https://'],
    ['https://user:pass@api.example.com', 'must not contain credentials'],
    ['https://user@api.example.com', 'must not contain credentials'],
    ['http://:pw@localhost', 'must not contain credentials'],
    ['https://api.example.com/?x=1', 'must not contain a query or fragment'],
    ['https://api.example.com/#frag', 'must not contain a query or fragment'],
    ['https://api.us.poly.ai/v1', "is the API's root, without /v1"],
    ['https://api.us.poly.ai/v1/', "is the API's root, without /v1"],
    ['https://gateway.example.com/polyai/V1', "is the API's root, without /v1"]
  ]
  it.each(bad)('rejects %s', (input, problem) => {
    const error = inputError(() => baseUrlFrom(input, 'us'))
    expect(error.message.startsWith(`Input 'base-url' ${problem}`)).toBe(true)
  })

  // BUG: URL.search and URL.hash are '' for a bare '?' or '#', so they pass, and the client then
  // builds `baseUrl + path` = 'https://api.example.com/?/v1/agents/…', sending the path as a query.
  it.each(['https://api.example.com/?', 'https://api.example.com/#', 'https://api.example.com?'])(
    'rejects the empty query or fragment marker in %s',
    (input) => {
      expect(() => baseUrlFrom(input, 'us')).toThrow("Input 'base-url' must not contain a query or fragment")
    }
  )

  it('never returns a base URL that a path can be appended to wrongly', () => {
    for (const [input] of good) expect(baseUrlFrom(input, 'us')).not.toMatch(/[/?#]$/)
  })
})

describe('defaultMessage', () => {
  const cases: [string, GitHubEnv, string][] = [
    ['no repository', { GITHUB_SHA: 'abc' }, 'Deployed by polyai-release-gate'],
    ['repository only', { GITHUB_REPOSITORY: 'o/r' }, 'o/r'],
    ['short sha', { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: '0123456789abcdef' }, 'o/r@0123456'],
    ['ref name preferred', { GITHUB_REPOSITORY: 'o/r', GITHUB_REF_NAME: 'main', GITHUB_REF: 'refs/heads/main' }, 'o/r (main)'],
    ['full ref as fallback', { GITHUB_REPOSITORY: 'o/r', GITHUB_REF: 'refs/tags/v1' }, 'o/r (refs/tags/v1)'],
    ['run link on github.com', { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' }, 'o/r: https://github.com/o/r/actions/runs/42'],
    [
      'everything on an enterprise server',
      { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'deadbeefcafe', GITHUB_REF_NAME: 'rel', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://ghe.example' },
      'o/r@deadbee (rel): https://ghe.example/o/r/actions/runs/7'
    ]
  ]
  it.each(cases)('%s', (_name, env, expected) => {
    expect(defaultMessage(env)).toBe(expected)
  })
})
