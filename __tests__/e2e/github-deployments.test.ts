import type { ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, expectClean, QUICK_TESTS, run } from './harness.js'

// github-deployment: each change mirrored as a GitHub Deployment, against a local fake of the
// two GitHub endpoints used, reached through GITHUB_API_URL as on GitHub Enterprise.
const TOKEN = 'ghs_fake-token-0042'
interface Received {
  method: string
  url: string
  authorization?: string
  body: Record<string, unknown>
}
let github: Server
let received: Received[]
let refuseWith: number | undefined
/** Where set, GitHub's answer to each deployment status is the test's to send, when it likes. */
let onStatus: ((body: Record<string, unknown>, answer: () => void) => void) | undefined
let emulator: Emulator

beforeAll(async () => {
  github = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk: Buffer) => (text += chunk.toString()))
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body: text ? JSON.parse(text) : {} })
      response.setHeader('content-type', 'application/json')
      if (refuseWith) {
        response.statusCode = refuseWith
        return response.end(JSON.stringify({ message: 'Resource not accessible by integration' }))
      }
      response.statusCode = 201
      const deployment = /^\/repos\/acme\/agent\/deployments$/.test(request.url ?? '')
      const answer = (): void => void response.end(JSON.stringify(deployment ? { id: received.length, environment: 'x' } : { id: 1000 + received.length, state: 'x' }))
      if (!deployment && onStatus) return onStatus(received[received.length - 1].body, answer)
      answer()
    })
  })
  await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve))
})
afterAll(() => new Promise<void>((resolve) => github.close(() => resolve())))
beforeEach(async () => {
  received = []
  refuseWith = undefined
  onStatus = undefined
  emulator = await emulatorWith({ 'agent-1': QUICK_TESTS })
})
afterEach(() => emulator.close())

const env = (): Record<string, string> => ({
  GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
  GITHUB_REPOSITORY: 'acme/agent',
  GITHUB_SHA: 'abc123def456',
  GITHUB_RUN_ID: '99',
  GITHUB_SERVER_URL: 'https://github.example.com'
})

it('mirrors a gated publish: a deployment, in_progress, then success', async () => {
  const result = await run(emulator, { operation: 'publish', 'github-deployment': 'true', 'github-token': TOKEN }, { env: env() })
  expectClean(result, emulator)
  expect(result.code).toBe(0)
  const shown = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
  expect(shown.join('\n')).not.toContain(TOKEN.slice(4))
  expect(result.stdout).toContain(`::add-mask::${TOKEN}`)
  const sandbox = emulator.active('agent-1').sandbox!
  expect(received.map((request) => `${request.method} ${request.url}`)).toEqual([
    'POST /repos/acme/agent/deployments',
    'POST /repos/acme/agent/deployments/1/statuses',
    'POST /repos/acme/agent/deployments/1/statuses'
  ])
  expect(received.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true)
  expect(received[0].body).toMatchObject({
    ref: 'abc123def456',
    environment: 'polyai-sandbox',
    production_environment: false,
    auto_merge: false,
    required_contexts: [],
    payload: { polyaiAgentId: 'agent-1', polyaiDeploymentId: sandbox.id, polyaiVersion: sandbox.version }
  })
  expect(received[1].body).toMatchObject({ state: 'in_progress', environment: 'polyai-sandbox', log_url: 'https://github.example.com/acme/agent/actions/runs/99' })
  expect(received[2].body).toMatchObject({ state: 'success', description: 'Tests passed: 6/6 cases passed' })
})

it('marks a failed gate as failure, and mirrors the rollback, with the prefix given', async () => {
  emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
  emulator.seedDeployment('agent-1', 'pre-release', { version: 'v2' })
  emulator.configureAgent('agent-1', { testPlan: { live: { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
  const result = await run(
    emulator,
    { operation: 'promote', environment: 'live', 'rollback-on-failure': 'true', 'github-deployment': 'true', 'github-token': TOKEN, 'github-environment-prefix': 'agent-' },
    { env: env() }
  )
  expect(result.code).toBe(1)
  const states = received.filter((request) => request.url.endsWith('/statuses')).map((request) => request.body.state)
  expect(states).toEqual(['in_progress', 'failure', 'in_progress', 'success'])
  const deployments = received.filter((request) => request.url.endsWith('/deployments'))
  expect(deployments.map((request) => [request.body.environment, request.body.production_environment])).toEqual([
    ['agent-live', true],
    ['agent-live', true]
  ])
  expect((deployments[1].body.payload as { polyaiVersion: string }).polyaiVersion).toBe('v1')
})

it('mirrors each agent of a fleet in environments of its own, so one agent\'s success leaves the other\'s active', async () => {
  emulator.configureAgent('agent-2', QUICK_TESTS)
  const result = await run(emulator, { operation: 'publish', 'agent-id': 'agent-1,agent-2', 'github-deployment': 'true', 'github-token': TOKEN }, { env: env() })
  expectClean(result, emulator)
  expect(result.code).toBe(0)
  const byEnvironment = (name: string): Received[] => received.filter((request) => request.body.environment === name)
  for (const agent of ['agent-1', 'agent-2']) {
    const [created, ...statuses] = byEnvironment(`polyai-sandbox-${agent}`)
    expect(created).toMatchObject({ url: '/repos/acme/agent/deployments', body: { payload: { polyaiAgentId: agent } } })
    expect(statuses.map((status) => status.body.state)).toEqual(['in_progress', 'success'])
  }
  expect(byEnvironment('polyai-sandbox')).toEqual([])
})

it('warns, and leaves the verdict to the gate, when GitHub refuses', async () => {
  refuseWith = 403
  const result = await run(emulator, { operation: 'publish', 'github-deployment': 'true', 'github-token': TOKEN }, { env: env() })
  expectClean(result, emulator)
  expect(result.code).toBe(0)
  expect(result.outputs['tests-result']).toBe('passed')
  expect(result.stdout).toMatch(/::warning::GitHub deployment not mirrored: .*Resource not accessible by integration.* \(the token needs `permissions: deployments: write`\)/)
})

it('makes no GitHub call without github-deployment, nor in a dry run', async () => {
  await run(emulator, { operation: 'publish', 'github-token': TOKEN }, { env: env() })
  await run(emulator, { operation: 'promote', environment: 'pre-release', 'dry-run': 'true', 'github-deployment': 'true', 'github-token': TOKEN }, { env: env() })
  expect(received).toEqual([])
})

it('marks a cancelled wait as error, not success', async () => {
  emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 60, outcome: 'hang' } } })
  let signalled = false
  const result = await run(emulator, { operation: 'publish', 'github-deployment': 'true', 'github-token': TOKEN }, {
    env: env(),
    onSpawn: (child) => {
      let seen = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        if (!signalled && seen.includes('Waiting for 1 test run(s)')) {
          // The in_progress status was sent before the wait began.
          signalled = true
          child.kill('SIGINT')
        }
      })
    }
  })
  expect(signalled).toBe(true)
  expect(result.code).toBe(1)
  const states = received.filter((request) => request.url.endsWith('/statuses')).map((request) => request.body.state)
  expect(states).toEqual(['in_progress', 'error'])
})

it('writes the summary and outputs of a cancelled step though GitHub is slow to answer', async () => {
  emulator.configureAgent('agent-1', { testPlan: { all: { runs: 1, cases: 2, caseMs: 60, outcome: 'hang' } } })
  let child: ChildProcess | undefined
  onStatus = (body, answer) => {
    if (body.state === 'in_progress') {
      answer()
      // Cancelled while waiting on the runs; the runner's SIGTERM follows a second later.
      setTimeout(() => child?.kill('SIGINT'), 300)
      setTimeout(() => child?.kill('SIGTERM'), 1300)
    } else setTimeout(answer, 10_000)
  }
  const result = await run(emulator, { operation: 'publish', 'github-deployment': 'true', 'github-token': TOKEN }, { env: env(), onSpawn: (spawned) => (child = spawned) })
  expect(result.code).toBe(1)
  expect(result.outputs['tests-result']).toBe('cancelled')
  expect(result.summary).toMatch(/^## PolyAI release gate: ⏹️ Cancelled/)
  expect(result.stdout).toContain('::warning::GitHub deployment not mirrored: ')
})

it('does not roll back after a cancel that came while the failed gate was being mirrored', async () => {
  emulator.configureAgent('agent-1', { testPlan: { all: { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
  emulator.seedDeployment('agent-1', 'sandbox', { version: 'v1' })
  let child: ChildProcess | undefined
  onStatus = (body, answer) => {
    if (body.state !== 'failure') return answer()
    child?.kill('SIGINT')
    setTimeout(answer, 800)
  }
  const result = await run(
    emulator,
    { operation: 'publish', 'rollback-on-failure': 'true', 'github-deployment': 'true', 'github-token': TOKEN },
    { env: env(), onSpawn: (spawned) => (child = spawned) }
  )
  expectClean(result, emulator)
  expect(result.code).toBe(1)
  expect(emulator.requests.filter((request) => request.path.endsWith('/rollback'))).toEqual([])
  expect(result.stdout).toMatch(/::warning::rollback-on-failure: not done, as the run was cancelled; sandbox still runs deployment /)
})
