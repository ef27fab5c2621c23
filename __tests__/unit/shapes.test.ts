import { describe, it, expect } from '@jest/globals'
import {
  activeFrom,
  deploymentFrom,
  deploymentListFrom,
  mutationFrom,
  saysAlreadyPublished,
  shaped,
  ShapeError,
  testRunFrom
} from '../../src/api/shapes.js'
import { ApiError } from '../../src/errors.js'

const RAW = {
  id: 'dep-1',
  accountId: 'acc-1',
  agentId: 'agent-1',
  environment: 'sandbox',
  artifactVersion: 'art-3',
  version: 'v-abc',
  createdBy: 'dev@example.com',
  createdAt: '2025-06-01T12:00:00Z',
  metadata: { deployment_message: 'hello' }
}

const DEPLOYMENT = {
  id: 'dep-1',
  agentId: 'agent-1',
  environment: 'sandbox',
  artifactVersion: 'art-3',
  version: 'v-abc',
  createdBy: 'dev@example.com',
  createdAt: '2025-06-01T12:00:00Z',
  message: 'hello'
}

const RUN = {
  id: 'run-1',
  status: 'running',
  passedCount: 2,
  failedCount: 1,
  errorCount: 0,
  testCaseCount: 5,
  startedAt: '2025-06-01T12:00:00Z',
  testHistory: [
    { testCaseId: 'c1', status: 'PASSED', rawConversation: { id: 'conv-1' } },
    {
      testCaseId: 'c2',
      status: 'failed',
      testCaseSnapshot: { name: 'Refund   request' },
      results: {
        prompt_assertion_results: [
          { prompt: 'Greets the caller', is_pass: true, reason: 'ok' },
          { prompt: 'Offers a refund', is_pass: false, reason: 'x'.repeat(300) }
        ],
        function_call_failures: [{ name: 'issue_refund', is_pass: false, failure_reason: 'never called', error: null }]
      }
    }
  ]
}

function shapeError(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError)
    return (error as Error).message
  }
  throw new Error('expected a ShapeError')
}

describe('deploymentFrom', () => {
  it('maps every field and the message from metadata', () => {
    expect(deploymentFrom(RAW, 'd')).toEqual(DEPLOYMENT)
  })

  it('fills optional fields with empty strings and leaves message undefined', () => {
    const result = deploymentFrom({ id: 'd', environment: 'live', version: 'v' }, 'd')
    expect(result).toEqual({ id: 'd', agentId: '', environment: 'live', artifactVersion: '', version: 'v', createdBy: '', createdAt: '', message: undefined })
  })

  const ignored: [string, Record<string, unknown>][] = [
    ['metadata null', { metadata: null }],
    ['metadata a string', { metadata: 'x' }],
    ['message a number', { metadata: { deployment_message: 5 } }],
    ['createdBy a number', { createdBy: 5, metadata: undefined }]
  ]
  it.each(ignored)('tolerates %s', (_name, patch) => {
    const result = deploymentFrom({ ...RAW, ...patch }, 'd')
    expect(result.id).toBe('dep-1')
    if ('metadata' in patch) expect(result.message).toBeUndefined()
  })

  const bad: [string, unknown, string][] = [
    ['null', null, 'where is not an object'],
    ['an array', [RAW], 'where is not an object'],
    ['a string', 'dep-1', 'where is not an object'],
    ['no id', { ...RAW, id: undefined }, 'where.id is missing or not a string'],
    ['empty id', { ...RAW, id: '' }, 'where.id is missing or not a string'],
    ['numeric id', { ...RAW, id: 7 }, 'where.id is missing or not a string'],
    ['no environment', { ...RAW, environment: undefined }, 'where.environment is missing or not a string'],
    ['an environment off the ladder', { ...RAW, environment: 'staging' }, "where.environment is 'staging', not one of sandbox, pre-release, live"],
    ['no version', { ...RAW, version: null }, 'where.version is missing or not a string']
  ]
  it.each(bad)('rejects %s', (_name, value, message) => {
    expect(shapeError(() => deploymentFrom(value, 'where'))).toBe(message)
  })
})

describe('deploymentListFrom', () => {
  it('maps a list in order', () => {
    const list = deploymentListFrom({ deployments: [RAW, { ...RAW, id: 'dep-0' }] })
    expect(list.map((item) => item.id)).toEqual(['dep-1', 'dep-0'])
  })
  it('names the bad index', () => {
    expect(shapeError(() => deploymentListFrom({ deployments: [RAW, { id: 'x' }] }))).toBe('answer.deployments[1].environment is missing or not a string')
  })
  it('rejects a missing list', () => {
    expect(shapeError(() => deploymentListFrom({}))).toBe('answer.deployments is not a list')
  })
})

describe('activeFrom', () => {
  it('keeps nulls and missing environments as null', () => {
    const result = activeFrom({ activeDeployments: { sandbox: RAW, 'pre-release': null } })
    expect(result).toEqual({ sandbox: DEPLOYMENT, 'pre-release': null, live: null })
  })
  it('reads all three', () => {
    const result = activeFrom({ activeDeployments: { sandbox: RAW, 'pre-release': { ...RAW, environment: 'pre-release' }, live: { ...RAW, environment: 'live' } } })
    expect(Object.values(result).map((item) => item?.environment)).toEqual(['sandbox', 'pre-release', 'live'])
  })
  const bad: [string, unknown, string][] = [
    ['no body', null, 'answer is not an object'],
    ['no activeDeployments', {}, 'answer.activeDeployments is not an object'],
    ['activeDeployments a list', { activeDeployments: [] }, 'answer.activeDeployments is not an object'],
    ['a bad entry', { activeDeployments: { live: { id: 'x' } } }, 'answer.activeDeployments.live.environment is missing or not a string'],
    ['an entry that is a string', { activeDeployments: { sandbox: 'dep-1' } }, 'answer.activeDeployments.sandbox is not an object']
  ]
  it.each(bad)('rejects %s', (_name, body, message) => {
    expect(shapeError(() => activeFrom(body))).toBe(message)
  })
})

describe('mutationFrom', () => {
  const cases: [string, unknown, object][] = [
    ['with run ids', { deployment: RAW, testRunIds: ['r1', 'r2'] }, { testRunIds: ['r1', 'r2'] }],
    // Left out is not "none": the runs it started are then found by time.
    ['without run ids', { deployment: RAW }, { testRunIds: [], runsUnnamed: true }],
    ['with an empty list', { deployment: RAW, testRunIds: [] }, { testRunIds: [] }]
  ]
  it.each(cases)('reads a mutation %s', (_name, body, runs) => {
    expect(mutationFrom(body)).toStrictEqual({ deployment: DEPLOYMENT, ...runs })
  })
  const bad: [string, unknown, string][] = [
    ['no deployment', { testRunIds: [] }, 'answer.deployment is not an object'],
    ['run ids a string', { deployment: RAW, testRunIds: 'r1' }, 'answer.testRunIds is not a list'],
    ['a numeric run id', { deployment: RAW, testRunIds: ['r1', 2] }, 'answer.testRunIds[1] is not an ID'],
    ['an empty run id', { deployment: RAW, testRunIds: [''] }, 'answer.testRunIds[0] is not an ID']
  ]
  it.each(bad)('rejects %s', (_name, body, message) => {
    expect(shapeError(() => mutationFrom(body))).toBe(message)
  })
})

describe('testRunFrom', () => {
  const expected = {
    id: 'run-1',
    status: 'running',
    passedCount: 2,
    failedCount: 1,
    errorCount: 0,
    testCaseCount: 5,
    startedAt: '2025-06-01T12:00:00Z',
    testHistory: [
      { testCaseId: 'c1', name: 'c1', status: 'passed', conversationId: 'conv-1', failedAssertions: [], functionFailures: [] },
      {
        testCaseId: 'c2',
        name: 'Refund request',
        status: 'failed',
        conversationId: undefined,
        failedAssertions: [`Offers a refund: ${'x'.repeat(182)}…`],
        functionFailures: ['issue_refund: never called']
      }
    ]
  }
  it.each([
    ['bare', RUN],
    ['wrapped', { testRun: RUN }]
  ])('reads a %s run', (_name, body) => {
    expect(testRunFrom(body)).toEqual(expected)
  })

  it('lowercases the status and defaults missing or null counts and history', () => {
    const run = testRunFrom({ id: 'r', status: 'COMPLETED', failedCount: null, testHistory: null })
    expect(run).toMatchObject({ status: 'completed', passedCount: 0, failedCount: 0, errorCount: 0, testCaseCount: 0, testHistory: [] })
  })

  it('relies on no field that no source names: finishedAt and deploymentId are not read', () => {
    expect(testRunFrom({ ...RUN, finishedAt: '2025-06-01T12:01:00Z', deploymentId: 'd-1' })).toEqual(expected)
  })

  const bad: [string, unknown, string][] = [
    ['not an object', 'run', 'answer is not an object'],
    ['wrapped in a list', { testRun: [RUN] }, 'answer.testRun is not an object'],
    ['no id', { ...RUN, id: undefined }, 'answer.id is missing or not a string'],
    ['numeric status', { ...RUN, status: 3 }, 'answer.status is missing or not a string'],
    ['negative count', { ...RUN, failedCount: -1 }, 'answer.failedCount is not a count'],
    ['fractional count', { ...RUN, passedCount: 1.5 }, 'answer.passedCount is not a count'],
    ['string count', { ...RUN, testCaseCount: '5' }, 'answer.testCaseCount is not a count'],
    ['NaN count', { ...RUN, errorCount: NaN }, 'answer.errorCount is not a count'],
    ['history an object', { ...RUN, testHistory: {} }, 'answer.testHistory is not a list'],
    ['history entry null', { ...RUN, testHistory: [null] }, 'answer.testHistory[0] is not an object'],
    ['history entry without id', { ...RUN, testHistory: [{ status: 'passed' }] }, 'answer.testHistory[0].testCaseId is missing or not a string'],
    ['history entry without status', { ...RUN, testHistory: [RUN.testHistory[0], { testCaseId: 'c' }] }, 'answer.testHistory[1].status is missing or not a string']
  ]
  it.each(bad)('rejects %s', (_name, body, message) => {
    expect(shapeError(() => testRunFrom(body))).toBe(message)
  })
})

describe('saysAlreadyPublished', () => {
  const cases: [string, unknown, boolean][] = [
    ['error_code', { success: true, error_code: 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED' }, true],
    ['code', { code: 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED' }, true],
    ['status', { status: 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED', data: null }, true],
    ['a deployment answer', { deployment: RAW, testRunIds: [] }, false],
    ['the 409 code', { error_code: 'DEPLOYMENTS_ALREADY_PUBLISHED' }, false],
    ['nested deeper', { data: { error_code: 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED' } }, false],
    ['lower case', { error_code: 'deployments_environment_already_published' }, false],
    ['null', null, false],
    ['a string', 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED', false],
    ['empty', {}, false]
  ]
  it.each(cases)('%s -> %s', (_name, body, expected) => {
    expect(saysAlreadyPublished(body)).toBe(expected)
  })
})

describe('shaped', () => {
  const answer = (body: unknown) => ({ status: 200, body, correlationId: 'corr-9' })

  it('returns the checked value', () => {
    expect(shaped(answer({ deployment: RAW }), 'POST /p', mutationFrom).deployment.id).toBe('dep-1')
  })

  it.each([
    ['missing field', { deployment: { id: 'x' } }, 'answer.deployment.environment is missing or not a string'],
    ['wrong type', { deployment: RAW, testRunIds: 5 }, 'answer.testRunIds is not a list'],
    ['empty body', undefined, 'answer is not an object']
  ])('turns a %s into an INVALID_RESPONSE ApiError', (_name, body, problem) => {
    let caught: unknown
    try {
      shaped(answer(body), 'POST /v1/agents/a/deployments/publish', mutationFrom)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ApiError)
    const error = caught as ApiError
    expect(error).toMatchObject({ status: 200, errorCode: 'INVALID_RESPONSE', correlationId: 'corr-9', request: 'POST /v1/agents/a/deployments/publish' })
    expect(error.apiMessage).toBe(`unexpected answer: ${problem}`)
    expect(error.message).toContain('corr-9')
  })

  it('lets other errors through unchanged', () => {
    const boom = new TypeError('boom')
    expect(() =>
      shaped(answer({}), 'GET /x', () => {
        throw boom
      })
    ).toThrow(boom)
  })
})
