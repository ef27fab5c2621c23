import { describe, it, expect } from '@jest/globals'
import { ApiError, CancelledError, InputError, isExpected, OperationError, TransportError } from '../../src/errors.js'

describe('ApiError', () => {
  const cases: [string, number, string, string, string][] = [
    ['everything', 409, 'DEPLOYMENTS_ALREADY_PUBLISHED', 'already there', 'POST /v1/agents/a/deployments/publish failed: HTTP 409 DEPLOYMENTS_ALREADY_PUBLISHED: already there (correlation id c-1)'],
    ['no error code', 400, '', 'bad body', 'POST /v1/agents/a/deployments/publish failed: HTTP 400: bad body (correlation id c-1)'],
    ['no message', 409, 'CONFLICT', '', 'POST /v1/agents/a/deployments/publish failed: HTTP 409 CONFLICT (correlation id c-1)'],
    ['412 pre-release hint', 412, 'ErrPreReleaseNotReady', '', 'POST /v1/agents/a/deployments/publish failed: HTTP 412 ErrPreReleaseNotReady (correlation id c-1). Promote this version to pre-release first (and let its tests pass there), then to live.'],
    ['functions hint', 400, 'FUNCTIONS_DEPLOYMENT_HAS_ERRORS', 'bad code', "POST /v1/agents/a/deployments/publish failed: HTTP 400 FUNCTIONS_DEPLOYMENT_HAS_ERRORS: bad code (correlation id c-1). The agent's functions do not build: fix the errors in its function code in Agent Studio, then deploy again."],
    ['no test cases hint', 422, 'NoTestCasesHttp', '', 'POST /v1/agents/a/deployments/publish failed: HTTP 422 NoTestCasesHttp (correlation id c-1). The project has no test cases, so nothing can gate it: add test cases in Agent Studio.'],
    ['neither', 409, '', '', 'POST /v1/agents/a/deployments/publish failed: HTTP 409 (correlation id c-1)'],
    ['429 hint', 429, 'RATE_LIMITED', '', "POST /v1/agents/a/deployments/publish failed: HTTP 429 RATE_LIMITED (correlation id c-1). The PolyAI API is limiting this key's requests; run fewer agents at once (max-parallel), or try again later."],
    ['401 hint', 401, 'UNAUTHORIZED', 'bad key', 'POST /v1/agents/a/deployments/publish failed: HTTP 401 UNAUTHORIZED: bad key (correlation id c-1). Check that api-key is a valid workspace API key, and that region (or base-url) is the one the key belongs to: a key of another region is refused with 401.'],
    ['403 hint', 403, '', '', 'POST /v1/agents/a/deployments/publish failed: HTTP 403 (correlation id c-1). The API key is not allowed to do this for this agent.'],
    ['404 hint', 404, 'DEPLOYMENT_NOT_FOUND', 'no such deployment', 'POST /v1/agents/a/deployments/publish failed: HTTP 404 DEPLOYMENT_NOT_FOUND: no such deployment (correlation id c-1). Check agent-id, deployment-id and region.'],
    ['5xx hint', 503, '', 'down', 'POST /v1/agents/a/deployments/publish failed: HTTP 503: down (correlation id c-1). The PolyAI API had a problem; try again later.'],
    ['500 hint', 500, 'INTERNAL', '', 'POST /v1/agents/a/deployments/publish failed: HTTP 500 INTERNAL (correlation id c-1). The PolyAI API had a problem; try again later.']
  ]
  it.each(cases)('%s', (_name, status, code, message, expected) => {
    const error = new ApiError(status, code, message, 'c-1', 'POST /v1/agents/a/deployments/publish')
    expect(error.message).toBe(expected)
    expect(error).toMatchObject({ name: 'ApiError', status, errorCode: code, apiMessage: message, correlationId: 'c-1' })
    expect(error.retryAfterMs).toBeUndefined()
  })

  it('always names the status and the correlation id', () => {
    for (const status of [400, 401, 403, 404, 409, 412, 429, 500, 502, 504]) {
      const { message } = new ApiError(status, 'CODE', 'text', 'corr-xyz', 'GET /x')
      expect(message).toContain(`HTTP ${status}`)
      expect(message).toContain('CODE')
      expect(message).toContain('text')
      expect(message).toContain('corr-xyz')
    }
  })
})

describe('the other errors', () => {
  it('InputError names the input first', () => {
    const error = new InputError('timeout', 'must be a duration')
    expect(error.message).toBe("Input 'timeout' must be a duration")
    expect(error.name).toBe('InputError')
  })

  it('TransportError names the request, the reason and the correlation id', () => {
    const error = new TransportError('GET /v1/x', 'connection reset', 'dropped', 'c-2')
    expect(error.message).toBe('GET /v1/x failed: connection reset (correlation id c-2)')
    expect(error.phase).toBe('dropped')
  })

  const expected: [string, unknown, boolean][] = [
    ['InputError', new InputError('a', 'b'), true],
    ['ApiError', new ApiError(500, '', '', 'c', 'GET /'), true],
    ['TransportError', new TransportError('GET /', 'x', 'unsent', 'c'), true],
    ['CancelledError', new CancelledError(), true],
    ['OperationError', new OperationError('no'), true],
    ['TypeError', new TypeError('bug'), false],
    ['Error', new Error('bug'), false],
    ['a string', 'oops', false],
    ['undefined', undefined, false]
  ]
  it.each(expected)('isExpected(%s) is %s', (_name, error, result) => {
    expect(isExpected(error)).toBe(result)
  })
})
