import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { loadContract, validate } from '../emulator/schema.js'
import { startEmulator, type Emulator, type TestRun } from '../emulator/server.js'

const API_KEY = 'emulator-test-key'
/** Generous: these tests wait for the emulator's clock, never time it. */
const DEADLINE_MS = 15000

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ apiKey: API_KEY })
})

afterAll(async () => {
  await emulator.close()
})

interface CallOptions {
  body?: unknown
  rawBody?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

async function call(method: string, path: string, options: CallOptions = {}) {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'X-API-KEY': API_KEY, 'content-type': 'application/json', ...options.headers },
    body,
    redirect: 'manual',
    signal: options.signal
  })
  const text = await response.text()
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

const agentPath = (agentId: string) => `/v1/agents/${encodeURIComponent(agentId)}`

async function publish(agentId: string, body: unknown = {}) {
  return call('POST', `${agentPath(agentId)}/deployments/publish`, { body })
}

async function pollRun(agentId: string, runId: string, until: (run: TestRun) => boolean): Promise<TestRun[]> {
  const seen: TestRun[] = []
  const deadline = Date.now() + DEADLINE_MS
  while (Date.now() < deadline) {
    const { status, json } = await call('GET', `${agentPath(agentId)}/testing/test-runs/${runId}`)
    if (status === 200) {
      seen.push(json)
      if (until(json)) return seen
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`run ${runId} did not reach the condition within ${DEADLINE_MS} ms`)
}

describe('auth and envelope', () => {
  it('answers 401 UNAUTHORIZED without or with a wrong key, echoing the correlation id', async () => {
    for (const key of [undefined, 'wrong']) {
      const response = await fetch(`${emulator.url}/v1/agents/a1/deployments/active`, {
        headers: { ...(key === undefined ? {} : { 'X-API-KEY': key }), 'X-PolyAI-Correlation-Id': 'corr-1' }
      })
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(response.headers.get('x-polyai-correlation-id')).toBe('corr-1')
      expect(await response.json()).toEqual({
        success: false,
        error: 'Missing or invalid API key.',
        error_id: 'corr-1',
        error_code: 'UNAUTHORIZED',
        error_message: 'Missing or invalid API key.',
        data: null
      })
    }
  })

  it('generates a correlation id when none is sent, and redacts the key in the request log', async () => {
    const { json, headers } = await call('GET', '/v1/agents/a1/nowhere')
    expect(json.error_code).toBe('NOT_FOUND')
    expect(json.error_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(headers.get('x-polyai-correlation-id')).toBe(json.error_id)
    const logged = emulator.requests.at(-1)
    expect(logged).toMatchObject({ method: 'GET', path: '/v1/agents/a1/nowhere', status: 404 })
    expect(logged?.headers['x-api-key']).toBe('<redacted>')
  })

  it('answers 405 for a known path with the wrong method', async () => {
    const { status, json } = await call('GET', '/v1/agents/a1/deployments/publish')
    expect(status).toBe(405)
    expect(json.error_code).toBe('METHOD_NOT_ALLOWED')
  })
})

describe('deployments', () => {
  it('publishes the draft with 201, then 409 until the draft changes', async () => {
    const first = await publish('pub', { deploymentMessage: 'first' })
    expect(first.status).toBe(201)
    expect(first.json.deployment).toMatchObject({
      agentId: 'pub', environment: 'sandbox', metadata: { deployment_message: 'first' }
    })
    // Shaped as recorded: a UUIDv7-like ID, a 32-hex version, the build's timestamp as artifactVersion.
    expect(first.json.deployment.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(first.json.deployment.version).toMatch(/^[0-9a-f]{32}$/)
    expect(new Date(first.json.deployment.artifactVersion).toISOString()).toBe(first.json.deployment.artifactVersion)
    expect(first.json.deployment.metadata).toMatchObject({ deployment_type: 'publish' })
    expect(first.json.testRunIds).toHaveLength(2)

    const again = await publish('pub')
    expect(again.status).toBe(409)
    expect(again.json.error_code).toBe('DEPLOYMENTS_ALREADY_PUBLISHED')

    emulator.setDraft('pub', 'abc123abc123')
    const second = await publish('pub')
    expect(second.status).toBe(201)
    expect(second.json.deployment.version).toBe('abc123abc123')
    expect(emulator.writes('pub')).toHaveLength(2)
  })

  it('rejects a bad environment and a bad JSON body', async () => {
    const badEnvironment = await publish('pub-bad', { environment: 'staging' })
    expect(badEnvironment.status).toBe(400)
    expect(badEnvironment.json.error_code).toBe('DEPLOYMENTS_INVALID_ENVIRONMENT')

    const before = emulator.contractViolations.length
    const notJson = await call('POST', `${agentPath('pub-bad')}/deployments/publish`, { rawBody: '{nope' })
    expect(notJson.status).toBe(400)
    expect(notJson.json.error_code).toBe('DEPLOYMENTS_VALIDATION_FAILED')
    expect(emulator.contractViolations.splice(before)).toHaveLength(1)
  })

  it('promotes sandbox -> pre-release -> live, refusing to skip pre-release', async () => {
    const published = (await publish('ladder')).json.deployment
    const skip = await call('POST', `${agentPath('ladder')}/deployments/${published.id}/promote`, {
      body: { targetEnvironment: 'live' }
    })
    expect(skip.status).toBe(412)
    expect(skip.json.error_code).toBe('ErrPreReleaseNotReady')

    const preRelease = await call('POST', `${agentPath('ladder')}/deployments/${published.id}/promote`, {})
    expect(preRelease.status).toBe(200)
    expect(preRelease.json.deployment).toMatchObject({
      environment: 'pre-release', version: published.version, artifactVersion: published.artifactVersion
    })

    const live = await call('POST', `${agentPath('ladder')}/deployments/${preRelease.json.deployment.id}/promote`, {
      body: { deploymentMessage: 'go live' }
    })
    expect(live.status).toBe(200)
    expect(live.json.deployment).toMatchObject({ environment: 'live', version: published.version })

    const active = emulator.active('ladder')
    expect([active.sandbox?.version, active['pre-release']?.version, active.live?.version])
      .toEqual([published.version, published.version, published.version])

    const fromLive = await call('POST', `${agentPath('ladder')}/deployments/${live.json.deployment.id}/promote`, {})
    expect(fromLive.status).toBe(400)
    expect(fromLive.json.error_code).toBe('DEPLOYMENTS_INVALID_ENVIRONMENT')
  })

  it('answers ENVIRONMENT_ALREADY_PUBLISHED without changing anything', async () => {
    const published = (await publish('idem')).json.deployment
    const path = `${agentPath('idem')}/deployments/${published.id}/promote`
    expect((await call('POST', path)).status).toBe(200)
    const count = emulator.deployments('idem').length

    const again = await call('POST', path)
    expect(again.status).toBe(200)
    expect(again.json).toEqual({
      success: true,
      error_code: 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED',
      message: 'Environment already has this version',
      data: null
    })
    expect(emulator.deployments('idem')).toHaveLength(count)
  })

  it('rolls back to an earlier deployment as a new active one', async () => {
    const earlier = emulator.seedDeployment('roll', 'sandbox', { version: 'old000000000', message: 'old' })
    const current = (await publish('roll')).json.deployment
    expect(emulator.active('roll').sandbox?.id).toBe(current.id)

    const rolled = await call('POST', `${agentPath('roll')}/deployments/${earlier.id}/rollback`, {
      body: { deploymentMessage: 'back' }
    })
    expect(rolled.status).toBe(200)
    expect(rolled.json.deployment).toMatchObject({
      environment: 'sandbox',
      version: 'old000000000',
      artifactVersion: earlier.artifactVersion,
      // A recorded rollback's answer: the message is not kept.
      metadata: null
    })
    expect(emulator.active('roll').sandbox?.id).toBe(rolled.json.deployment.id)

    const unknown = await call('POST', `${agentPath('roll')}/deployments/dep_missing/rollback`)
    expect(unknown.status).toBe(404)
    expect(unknown.json.error_code).toBe('DEPLOYMENT_NOT_FOUND')
  })

  it('lists deployments newest first, honouring limit and validating the query', async () => {
    emulator.seedDeployment('list', 'sandbox', { version: 'v1', createdAt: '2024-01-01T00:00:00Z' })
    emulator.seedDeployment('list', 'sandbox', { version: 'v3', createdAt: '2024-03-01T00:00:00Z' })
    emulator.seedDeployment('list', 'sandbox', { version: 'v2', createdAt: '2024-02-01T00:00:00Z' })
    emulator.seedDeployment('list', 'live', { version: 'v9' })

    const all = await call('GET', `${agentPath('list')}/deployments?environment=sandbox`)
    expect(all.status).toBe(200)
    expect(all.json.deployments.map((deployment: { version: string }) => deployment.version)).toEqual(['v3', 'v2', 'v1'])

    const limited = await call('GET', `${agentPath('list')}/deployments?environment=sandbox&limit=1`)
    expect(limited.json.deployments).toHaveLength(1)

    const cases = [
      { query: '', code: 'DEPLOYMENTS_INVALID_ENVIRONMENT' },
      { query: '?environment=prod', code: 'DEPLOYMENTS_INVALID_ENVIRONMENT' },
      { query: '?environment=live&limit=0', code: 'DEPLOYMENTS_VALIDATION_FAILED' },
      { query: '?environment=live&limit=two', code: 'DEPLOYMENTS_VALIDATION_FAILED' }
    ]
    for (const { query, code } of cases) {
      const { status, json } = await call('GET', `${agentPath('list')}/deployments${query}`)
      expect([query, status, json.error_code]).toEqual([query, 400, code])
    }

    const active = await call('GET', `${agentPath('list')}/deployments/active`)
    expect(active.json.activeDeployments['pre-release']).toBeNull()
    expect(active.json.activeDeployments.live.version).toBe('v9')
  })

  it('takes an agent id with an encoded slash as one id', async () => {
    const created = await publish('team/agent')
    expect(created.status).toBe(201)
    expect(created.json.deployment.agentId).toBe('team/agent')
    expect(emulator.deployments('team/agent')).toHaveLength(1)
  })

  it('rejects unknown keys in a promote body as a contract violation', async () => {
    const published = (await publish('strict')).json.deployment
    const before = emulator.contractViolations.length
    const { status, json } = await call('POST', `${agentPath('strict')}/deployments/${published.id}/promote`, {
      body: { targetEnvironment: 'pre-release', force: true }
    })
    expect(status).toBe(400)
    expect(json.error_code).toBe('DEPLOYMENTS_VALIDATION_FAILED')
    const violations = emulator.contractViolations.splice(before)
    expect(violations).toHaveLength(1)
    expect(violations[0]).toContain('$.force: unexpected property')
    expect(emulator.deployments('strict', 'pre-release')).toHaveLength(0)
  })
})

describe('branches and merges', () => {
  const merge = (agentId: string, branchId: string, body: unknown = {}) =>
    call('POST', `${agentPath(agentId)}/branches/${branchId}/merge`, { body })

  it('lists main and the open branches, checked against the contract', async () => {
    const branch = emulator.addBranch('br-list', 'feature-a')
    const { status, json } = await call('GET', `${agentPath('br-list')}/branches`)
    expect(status).toBe(200)
    expect(json.branches.map((entry: { branchId: string; name: string }) => [entry.branchId, entry.name])).toEqual([['main', 'main'], [branch.branchId, 'feature-a']])
  })

  it('deploys a merge to sandbox by default, with the tests it triggers', async () => {
    const branch = emulator.addBranch('br-deploy', 'feature')
    const { status, json } = await merge('br-deploy', branch.branchId, { deploymentMessage: 'merge it' })
    expect(status).toBe(200)
    expect(json).toMatchObject({ sequence: expect.any(String), message: expect.any(String) })
    expect(json.testRunIds).toHaveLength(2)
    expect(emulator.active('br-deploy').sandbox?.metadata).toMatchObject({ deployment_message: 'merge it' })
    expect(emulator.branches('br-deploy').map((entry) => entry.name)).toEqual(['main'])
    expect((await merge('br-deploy', branch.branchId)).status).toBe(404)
  })

  it('only updates the draft in draft mode, and lands in live on a simplified project', async () => {
    emulator.configureAgent('br-draft', { mergeMode: 'draft' })
    const draft = await merge('br-draft', emulator.addBranch('br-draft', 'f').branchId)
    expect(draft.json.testRunIds).toHaveLength(2)
    expect(emulator.deployments('br-draft')).toEqual([])
    expect((await publish('br-draft')).status).toBe(201)

    emulator.configureAgent('br-simple', { simplified: true })
    await merge('br-simple', emulator.addBranch('br-simple', 'f').branchId)
    expect(emulator.active('br-simple')).toMatchObject({ sandbox: null, 'pre-release': null, live: { environment: 'live' } })
  })

  it('answers conflicts with 400 and no envelope, and merges once each is resolved', async () => {
    const conflicts = [{ path: ['topics', 'hours'], type: 'modify' as const, baseValue: 'a', oursValue: 'b', theirsValue: 'c' }]
    const branch = emulator.addBranch('br-conflict', 'f', { conflicts })
    const refused = await merge('br-conflict', branch.branchId, {})
    expect(refused).toMatchObject({ status: 400, json: { hasConflicts: true, conflicts } })
    expect(emulator.deployments('br-conflict')).toEqual([])
    const resolved = await merge('br-conflict', branch.branchId, { conflictResolutions: [{ path: ['topics', 'hours'], strategy: 'theirs' }] })
    expect(resolved.status).toBe(200)
    expect(emulator.deployments('br-conflict')).toHaveLength(1)
  })

  it('checks merge bodies against the contract', async () => {
    const before = emulator.contractViolations.length
    const branch = emulator.addBranch('br-strict', 'f')
    expect((await merge('br-strict', branch.branchId, { force: true })).status).toBe(400)
    expect(emulator.contractViolations.splice(before).join('\n')).toContain('$.force: unexpected property')
  })
})

describe('which calls trigger test runs', () => {
  it('by default as recorded: publish does, promote and rollback do not', async () => {
    const published = (await publish('trig')).json
    expect(published.testRunIds).toHaveLength(2)
    const promoted = await call('POST', `${agentPath('trig')}/deployments/${published.deployment.id}/promote`, { body: { targetEnvironment: 'pre-release' } })
    expect(promoted.json.testRunIds).toEqual([])
    expect(promoted.json.deployment.metadata).toMatchObject({ deployment_type: 'promotion' })
    const rolled = await call('POST', `${agentPath('trig')}/deployments/${published.deployment.id}/rollback`, { body: {} })
    expect(rolled.json.testRunIds).toEqual([])
  })

  it('as switched: promote may trigger runs, publish may not', async () => {
    emulator.configureAgent('trig-2', { triggers: { publish: false, promote: true } })
    const published = (await publish('trig-2')).json
    expect(published.testRunIds).toEqual([])
    const promoted = await call('POST', `${agentPath('trig-2')}/deployments/${published.deployment.id}/promote`, { body: { targetEnvironment: 'pre-release' } })
    expect(promoted.json.testRunIds).toHaveLength(2)
  })

  it('never refuses a promote on a simplified project', async () => {
    emulator.configureAgent('simple', { simplified: true })
    const stale = emulator.seedDeployment('simple', 'sandbox')
    const promoted = await call('POST', `${agentPath('simple')}/deployments/${stale.id}/promote`, { body: { targetEnvironment: 'live' } })
    expect(promoted.status).toBe(200)
    expect(emulator.active('simple').live?.version).toBe(stale.version)
  })
})

describe('test runs', () => {
  it('progresses case by case to completed with matching counts', async () => {
    emulator.configureAgent('runs-pass', { testPlan: { sandbox: { runs: 1, cases: 3, caseMs: 30 } } })
    const { json } = await publish('runs-pass')
    expect(json.testRunIds).toHaveLength(1)
    const [runId] = json.testRunIds

    const seen = await pollRun('runs-pass', runId, (run) => run.status === 'completed')
    for (const run of seen) {
      expect(run.passedCount + run.failedCount + run.errorCount).toBe(run.testHistory.length)
      // As the sources describe runs: no finish time, no link to the deployment.
      expect(Object.keys(run).sort()).toEqual(['errorCount', 'failedCount', 'id', 'passedCount', 'startedAt', 'startedBy', 'status', 'testCaseCount', 'testHistory'])
    }
    const finished = seen.at(-1)
    expect(finished).toMatchObject({ id: runId, passedCount: 3, failedCount: 0, errorCount: 0, testCaseCount: 3 })
    expect(Date.parse(finished!.startedAt)).toBe(Date.parse(json.deployment.createdAt))
    expect(finished?.testHistory.map((entry) => entry.testCaseId)).toEqual(['tc-1', 'tc-2', 'tc-3'])
    expect(finished?.testHistory[0]).toMatchObject({
      testCaseSnapshot: { name: expect.any(String) },
      results: { prompt_assertion_results: expect.any(Array), function_call_failures: [] },
      rawConversation: { id: expect.any(String), turns: expect.any(Array) }
    })

    const listed = await call('GET', `${agentPath('runs-pass')}/testing/test-runs?limit=5&offset=0`)
    expect(listed.json.testRuns.map((run: TestRun) => run.id)).toEqual([runId])
  })

  it('fails the last case of the runs named in failRuns', async () => {
    emulator.configureAgent('runs-fail', {
      testPlan: { all: { runs: 2, cases: 2, caseMs: 10, outcome: 'fail', failRuns: [1] } }
    })
    const [passing, failing] = (await publish('runs-fail')).json.testRunIds
    const passed = (await pollRun('runs-fail', passing, (run) => run.status === 'completed')).at(-1)
    const failed = (await pollRun('runs-fail', failing, (run) => run.status === 'completed')).at(-1)
    expect(passed).toMatchObject({ passedCount: 2, failedCount: 0 })
    expect(failed).toMatchObject({ passedCount: 1, failedCount: 1 })
    expect(failed?.testHistory.at(-1)?.status).toBe('failed')
  })

  it('ends runs with the final status asked for, and keeps hanging or pending runs unfinished', async () => {
    emulator.configureAgent('runs-odd', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 5, finalStatus: 'finished_ok' } } })
    const [oddId] = (await publish('runs-odd')).json.testRunIds
    const odd = (await pollRun('runs-odd', oddId, (run) => run.testHistory.length === 2)).at(-1)
    expect(odd).toMatchObject({ status: 'finished_ok', passedCount: 2, testCaseCount: 2 })

    emulator.configureAgent('runs-odd', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 5, outcome: 'timed_out', finalStatus: 'completed' } } })
    emulator.setDraft('runs-odd', 'timeout0000')
    const [timedOutId] = (await publish('runs-odd')).json.testRunIds
    const timedOut = (await pollRun('runs-odd', timedOutId, (run) => run.testHistory.length === 2)).at(-1)
    expect(timedOut).toMatchObject({ status: 'timed_out', errorCount: 1 })

    emulator.configureAgent('runs-odd', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 5, outcome: 'hang' } } })
    emulator.setDraft('runs-odd', 'hang00000000')
    const [hangingId] = (await publish('runs-odd')).json.testRunIds
    const hanging = (await pollRun('runs-odd', hangingId, (run) => run.testHistory.length === 1)).at(-1)
    expect(hanging).toMatchObject({ status: 'running' })
    expect(emulator.testRun('runs-odd', hangingId)?.status).toBe('running')

    emulator.configureAgent('runs-odd', { testPlan: { sandbox: { runs: 1, startDelayMs: 600000 } } })
    emulator.setDraft('runs-odd', 'queue0000000')
    const [queuedId] = (await publish('runs-odd')).json.testRunIds
    expect(emulator.testRun('runs-odd', queuedId)).toMatchObject({ status: 'pending', testHistory: [] })
  })

  it('answers 404 for a new run during its not-found window, then the run', async () => {
    emulator.configureAgent('runs-late', { testPlan: { sandbox: { runs: 1, cases: 1, caseMs: 5, notFoundForMs: 2000 } } })
    const [runId] = (await publish('runs-late')).json.testRunIds
    const early = await call('GET', `${agentPath('runs-late')}/testing/test-runs/${runId}`)
    expect(early.status).toBe(404)
    expect(early.json.error_code).toBe('TEST_RUN_NOT_FOUND')
    const seen = await pollRun('runs-late', runId, (run) => run.status === 'completed')
    expect(seen.at(-1)?.passedCount).toBe(1)
  })

  it('triggers no runs with runs: 0', async () => {
    emulator.configureAgent('runs-none', { testPlan: { sandbox: { runs: 0 } } })
    expect((await publish('runs-none')).json.testRunIds).toEqual([])
  })
})

describe('faults', () => {
  it('answers an injected status with Retry-After, without acting', async () => {
    emulator.injectFault({ kind: 'status', status: 503, retryAfter: '2', method: 'POST', path: '/publish$' })
    const refused = await publish('fault-status')
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('2')
    expect(refused.json.error_code).toBe('SERVICE_UNAVAILABLE')
    expect(emulator.deployments('fault-status')).toHaveLength(0)
    expect((await publish('fault-status')).status).toBe(201) // used up
  })

  it('acts and then answers 502, so a retry meets the 409', async () => {
    emulator.injectFault({ kind: 'act-then-status', status: 502 })
    expect((await publish('fault-act')).status).toBe(502)
    expect(emulator.writes('fault-act')).toHaveLength(1)
    expect((await publish('fault-act')).status).toBe(409)
  })

  it('drops the connection, with or without acting', async () => {
    emulator.injectFault({ kind: 'drop' })
    await expect(publish('fault-drop')).rejects.toThrow()
    expect(emulator.deployments('fault-drop')).toHaveLength(0)

    emulator.injectFault({ kind: 'act-then-drop' })
    await expect(publish('fault-drop')).rejects.toThrow()
    expect(emulator.deployments('fault-drop')).toHaveLength(1)
  })

  it('hangs until the client gives up', async () => {
    emulator.injectFault({ kind: 'hang', path: /active$/ })
    await expect(call('GET', `${agentPath('fault-hang')}/deployments/active`, { signal: AbortSignal.timeout(200) }))
      .rejects.toThrow()
    expect((await call('GET', `${agentPath('fault-hang')}/deployments/active`)).status).toBe(200)
  })

  it('serves raw bodies, redirects and delays', async () => {
    emulator.injectFault({ kind: 'body', body: '<html>bad gateway</html>', contentType: 'text/html', times: 1 })
    const raw = await call('GET', `${agentPath('fault-misc')}/deployments/active`)
    expect([raw.status, raw.text, raw.headers.get('content-type')]).toEqual([200, '<html>bad gateway</html>', 'text/html'])

    emulator.injectFault({ kind: 'redirect', location: 'http://example.invalid/' })
    const moved = await call('GET', `${agentPath('fault-misc')}/deployments/active`)
    expect([moved.status, moved.headers.get('location')]).toEqual([302, 'http://example.invalid/'])

    emulator.injectFault({ kind: 'delay', ms: 50 })
    expect((await call('GET', `${agentPath('fault-misc')}/deployments/active`)).status).toBe(200)
  })

  it('rate limits beyond perSecond with 429 and Retry-After: 1', async () => {
    const limited = await startEmulator({ rateLimit: { perSecond: 1 } })
    try {
      const responses = await Promise.all(Array.from({ length: 5 }, () =>
        fetch(`${limited.url}/v1/agents/rl/deployments/active`, { headers: { 'X-API-KEY': 'test-api-key' } })))
      const throttled = responses.filter((response) => response.status === 429)
      expect(throttled.length).toBeGreaterThan(0)
      expect(throttled[0].headers.get('retry-after')).toBe('1')
      expect(limited.throttled).toBe(throttled.length)
      await Promise.all(responses.map((response) => response.text()))
    } finally {
      await limited.close()
    }
  })
})

describe('contract', () => {
  it.each([
    { schema: { type: ['string', 'null'] }, value: null, errors: [] },
    { schema: { type: 'integer' }, value: 1.5, errors: ['$: expected integer, got number'] },
    { schema: { type: 'object', nullable: true }, value: null, errors: [] },
    { schema: { enum: ['a', 'b'] }, value: 'c', errors: ['$: must be one of "a", "b"'] },
    { schema: { type: 'object', required: ['id'] }, value: {}, errors: ['$.id: is required'] },
    {
      schema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      value: { a: 'x', 'b c': 1 },
      errors: ['$["b c"]: unexpected property']
    },
    {
      schema: { type: 'object', additionalProperties: { type: 'number' } },
      value: { n: 1, s: 'x' },
      errors: ['$.s: expected number, got string']
    },
    { schema: { type: 'array', items: { type: 'string' } }, value: ['a', 2], errors: ['$[1]: expected string, got integer'] },
    { schema: { $ref: '#/defs/Id' }, value: 3, errors: ['$: expected string, got integer'], root: { defs: { Id: { type: 'string' } } } }
  ])('validates $value against $schema', ({ schema, value, errors, root }) => {
    expect(validate(schema, value, root)).toEqual(errors)
  })

  it('checks deployment responses against the contract schemas', () => {
    const contract = loadContract()
    const deployment = {
      id: 'dep_1', accountId: 'acc', agentId: 'a', environment: 'sandbox', artifactVersion: 'art',
      version: 'v', createdBy: 'ci@example.com', createdAt: '2024-01-01T00:00:00Z', extra: true
    }
    expect(contract.validate('MutationDeploymentPublicResponse', { deployment, testRunIds: [] }))
      .toEqual(['$.deployment.extra: unexpected property'])
    expect(contract.validate('MutationDeploymentResponse', { deployment })).toEqual([])
  })

  it('produced no contract violations in the flows above', () => {
    expect(emulator.contractViolations).toEqual([])
  })

  it('reset() clears deployments and logs', async () => {
    const own = await startEmulator({ agents: { kept: { draftVersion: 'fixed0000000' } } })
    try {
      own.seedDeployment('kept', 'sandbox')
      own.reset()
      expect(own.deployments('kept')).toEqual([])
      expect(own.requests).toEqual([])
      const response = await fetch(`${own.url}/v1/agents/kept/deployments/publish`, {
        method: 'POST', headers: { 'X-API-KEY': 'test-api-key' }
      })
      expect(((await response.json()) as { deployment: { version: string } }).deployment.version).toBe('fixed0000000')
    } finally {
      await own.close()
    }
  })

  it('ships the same OpenAPI file as ../shared when that file exists', () => {
    const shared = new URL('../../shared/polyai-agents-openapi.json', import.meta.url)
    if (!existsSync(shared)) return
    const local = new URL('../emulator/polyai-agents-openapi.json', import.meta.url)
    const digest = (file: URL) => createHash('sha256').update(readFileSync(file)).digest('hex')
    expect(digest(local)).toBe(digest(shared))
  })
})

describe('shaped test runs', () => {
  it('ends cases where the shape puts them, as the benchmark models them', async () => {
    const { caseEnds } = await import('../emulator/run-shapes.js')
    const own = await startEmulator({ agents: { shaped: { testPlan: { sandbox: { runs: 1, cases: 6, caseMs: 50, shape: 'back-loaded' } } } } })
    try {
      const published = await fetch(`${own.url}/v1/agents/shaped/deployments/publish`, { method: 'POST', headers: { 'X-API-KEY': 'test-api-key' } })
      const [runId] = ((await published.json()) as { testRunIds: string[] }).testRunIds
      const ends = caseEnds('back-loaded', { cases: 6, durationMs: 300, seed: 1 })
      const started = Date.parse(own.testRun('shaped', runId)!.startedAt)
      expect(own.runFinishesAt('shaped', runId)).toBe(started + ends[ends.length - 1])
    } finally {
      await own.close()
    }
  })
})
