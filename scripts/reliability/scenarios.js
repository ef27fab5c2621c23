// The faults a real API and network inflict, each as a scenario the bundled action must survive.
// Shared by the end-to-end fault tests and `npm run reliability`, which writes docs/reliability.md.

const PUBLISH = '/deployments/publish$'
const PROMOTE = '/promote$'
const ROLLBACK = '/rollback$'
const ACTIVE = '/deployments/active$'
const RUNS = '/testing/test-runs/'

/**
 * Each scenario: faults injected into a fresh emulator, the action's inputs, and what must hold.
 * expect.created: deployments the step may create (more is a duplicate); expect.posts: writes sent.
 */
export const scenarios = [
  // Reads: retried with backoff, honouring Retry-After.
  { name: 'read answered 503 twice', group: 'read', faults: [{ method: 'GET', path: ACTIVE, kind: 'status', status: 503, times: 2 }], inputs: { operation: 'active' }, expect: { code: 0 } },
  { name: 'read answered 500, 502, 504', group: 'read', faults: [500, 502, 504].map((status) => ({ method: 'GET', path: ACTIVE, kind: 'status', status })), inputs: { operation: 'active' }, expect: { code: 0 } },
  { name: 'read answered 429 with Retry-After in seconds', group: 'read', faults: [{ method: 'GET', path: ACTIVE, kind: 'status', status: 429, retryAfter: '1' }], inputs: { operation: 'active' }, expect: { code: 0, minGapMs: 900 } },
  { name: 'read answered 429 with Retry-After as an HTTP date', group: 'read', faults: [{ method: 'GET', path: ACTIVE, kind: 'status', status: 429, retryAfter: 'httpdate+2' }], inputs: { operation: 'active' }, expect: { code: 0, minGapMs: 900 } },
  { name: 'read connection reset', group: 'read', faults: [{ method: 'GET', path: ACTIVE, kind: 'drop', times: 2 }], inputs: { operation: 'active' }, expect: { code: 0 } },
  { name: 'read hangs past request-timeout', group: 'read', faults: [{ method: 'GET', path: ACTIVE, kind: 'hang' }], inputs: { operation: 'active', 'request-timeout': '1s' }, expect: { code: 0 } },
  {
    name: 'read failing every time ends with a clear error',
    group: 'read',
    faults: [{ method: 'GET', path: ACTIVE, kind: 'status', status: 503, times: Infinity }],
    inputs: { operation: 'active' },
    expect: { code: 1, error: /^GET \/v1\/agents\/agent-1\/deployments\/active failed: HTTP 503 .*\(correlation id [0-9a-f-]{36}\)/, requests: 5 }
  },

  // Polls: the run goes on server-side while it cannot be read.
  { name: 'polls answered 500 three times in a row', group: 'poll', faults: [{ method: 'GET', path: RUNS, kind: 'status', status: 500, times: 3 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, outputs: { 'tests-result': 'passed' } } },
  { name: 'polls reset mid-answer', group: 'poll', faults: [{ method: 'GET', path: RUNS, kind: 'drop', times: 3 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, outputs: { 'tests-result': 'passed' } } },
  { name: 'runs answer 404 for a while after creation', group: 'poll', plan: { notFoundForMs: 1500 }, inputs: { operation: 'publish' }, expect: { code: 0, created: 1, outputs: { 'tests-result': 'passed' } } },
  { name: 'a poll hangs past request-timeout', group: 'poll', faults: [{ method: 'GET', path: RUNS, kind: 'hang' }], inputs: { operation: 'publish', 'request-timeout': '1s' }, expect: { code: 0, created: 1, outputs: { 'tests-result': 'passed' } } },
  { name: 'polls throttled with 429', group: 'poll', faults: [{ method: 'GET', path: RUNS, kind: 'status', status: 429, retryAfter: '1', times: 2 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, outputs: { 'tests-result': 'passed' } } },
  {
    name: 'a run unreadable for a minute fails the gate, naming it',
    group: 'poll',
    slow: true,
    plan: { runs: 2, cases: 3, caseMs: 60, outcome: 'hang', failRuns: [1] },
    faults: [{ method: 'GET', path: RUNS, kind: 'status', status: 500, times: Infinity }],
    inputs: { operation: 'publish', timeout: '10m' },
    expect: { code: 1, created: 1, outputs: { 'tests-result': 'failed' }, error: /^The gate failed: 2 of 2 test run\(s\) failed: .*could not be read for \d+s \(\d+ failed polls in a row\)/ }
  },

  // Writes: sent again only where the server surely did not act; otherwise the state decides.
  { name: 'publish answered 429 with Retry-After', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'status', status: 429, retryAfter: '1' }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 2 } },
  { name: 'publish answered 503 with Retry-After', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'status', status: 503, retryAfter: '1' }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 2 } },
  { name: 'publish answered 503 without Retry-After, not acted on', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'status', status: 503 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 2 } },
  { name: 'publish dropped without acting: outcome unknown, never resent', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'drop' }], inputs: { operation: 'publish' }, expect: { code: 1, created: 0, posts: 1, error: /not sent again: the outcome is unknown/ } },
  { name: 'publish acted, then answered 502', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'act-then-status', status: 502 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed', changed: 'true' } } },
  { name: 'publish acted, then answered 504', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'act-then-status', status: 504 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed' } } },
  { name: 'publish acted, then the connection dropped', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'act-then-drop' }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed' } } },
  { name: 'publish answered 504 by a gateway, the API acting 3 s later', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'status-then-act', status: 504, afterMs: 3000 }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed', changed: 'true' } } },
  { name: 'publish acted, then a proxy answered 503 with Retry-After', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'act-then-status', status: 503, retryAfter: '1' }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed', changed: 'true' } } },
  { name: 'publish acted, then hung past request-timeout', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'act-then-hang' }], inputs: { operation: 'publish', 'request-timeout': '1s' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed' } } },
  {
    name: 'publish hung past request-timeout without acting: outcome unknown, never resent',
    group: 'write',
    faults: [{ method: 'POST', path: PUBLISH, kind: 'hang' }],
    inputs: { operation: 'publish', 'request-timeout': '1s' },
    expect: { code: 1, created: 0, posts: 1, error: /no answer within 1s \(request-timeout\).*not sent again: the outcome is unknown/ }
  },
  {
    name: 'publish answered 502 (a gateway), never acting: outcome unknown, never resent',
    group: 'write',
    faults: [{ method: 'POST', path: PUBLISH, kind: 'status', status: 502, times: Infinity }],
    inputs: { operation: 'publish' },
    expect: { code: 1, created: 0, posts: 1, error: /^POST \/v1\/agents\/agent-1\/deployments\/publish failed: HTTP 502.*not sent again: the outcome is unknown/ }
  },
  {
    name: 'publish answered 500 every time, never acting',
    group: 'write',
    faults: [{ method: 'POST', path: PUBLISH, kind: 'status', status: 500, times: Infinity }],
    inputs: { operation: 'publish' },
    expect: { code: 1, created: 0, posts: 3, error: /^POST \/v1\/agents\/agent-1\/deployments\/publish failed: HTTP 500/ }
  },
  { name: 'promote acted, then answered 502', group: 'write', setup: 'sandbox', faults: [{ method: 'POST', path: PROMOTE, kind: 'act-then-status', status: 502 }], inputs: { operation: 'promote', environment: 'pre-release' }, expect: { code: 0, created: 1, posts: 1, outputs: { environment: 'pre-release' } } },
  { name: 'promote acted, then the connection dropped', group: 'write', setup: 'sandbox', faults: [{ method: 'POST', path: PROMOTE, kind: 'act-then-drop' }], inputs: { operation: 'promote', environment: 'pre-release' }, expect: { code: 0, created: 1, posts: 1 } },
  { name: 'rollback acted, then answered 504', group: 'write', setup: 'history', faults: [{ method: 'POST', path: ROLLBACK, kind: 'act-then-status', status: 504 }], inputs: { operation: 'rollback', environment: 'live' }, expect: { code: 0, created: 1, posts: 1, outputs: { version: 'v1' } } },
  { name: 'rollback dropped without acting: outcome unknown, never resent', group: 'write', setup: 'history', faults: [{ method: 'POST', path: ROLLBACK, kind: 'drop' }], inputs: { operation: 'rollback', environment: 'live' }, expect: { code: 1, created: 0, posts: 1, error: /not sent again: the outcome is unknown/ } },
  { name: 'publish acted, then its 201 came back unreadable (a proxy\'s page): adopted, never resent', group: 'write', faults: [{ method: 'POST', path: PUBLISH, kind: 'act-then-body', body: '<html>Created</html>' }], inputs: { operation: 'publish' }, expect: { code: 0, created: 1, posts: 1, outputs: { 'tests-result': 'passed', changed: 'true' } } },
  { name: 'rollback answered 503 by a proxy, the API acting 1.5 s later: adopted, not sent twice', group: 'write', setup: 'history', faults: [{ method: 'POST', path: ROLLBACK, kind: 'status-then-act', status: 503, afterMs: 1500 }], inputs: { operation: 'rollback', environment: 'live' }, expect: { code: 0, created: 1, posts: 1, outputs: { version: 'v1' } } },
  { name: 'rollback answered 503 by a proxy, the API acting 5 s later: adopted, not sent twice', group: 'write', setup: 'history', faults: [{ method: 'POST', path: ROLLBACK, kind: 'status-then-act', status: 503, afterMs: 5000 }], inputs: { operation: 'rollback', environment: 'live' }, expect: { code: 0, created: 1, posts: 1, outputs: { version: 'v1' } } },
  // A rollback is sent again only once the state has shown nothing for 14 s: slow.
  { name: 'rollback answered 500 without acting', group: 'write', slow: true, setup: 'history', faults: [{ method: 'POST', path: ROLLBACK, kind: 'status', status: 500 }], inputs: { operation: 'rollback', environment: 'live' }, expect: { code: 0, created: 1, posts: 2, outputs: { version: 'v1' } } },

  // Hostile answers: a clear error, never a crash or `undefined` in an output.
  { name: 'an answer that is not JSON', group: 'answer', faults: [{ method: 'GET', path: ACTIVE, kind: 'body', body: '<html>oops</html>' }], inputs: { operation: 'active' }, expect: { code: 1, error: /INVALID_RESPONSE: the answer was not JSON/ } },
  { name: 'an answer missing a field', group: 'answer', faults: [{ method: 'POST', path: PUBLISH, kind: 'body', status: 201, body: '{"deployment":{"id":"d1"},"testRunIds":[]}' }], inputs: { operation: 'publish' }, expect: { code: 1, error: /INVALID_RESPONSE: unexpected answer: answer\.deployment\.environment is missing/ } },
  { name: 'an answer with a wrong type', group: 'answer', faults: [{ method: 'GET', path: RUNS, kind: 'body', body: '{"id":"r","status":"completed","passedCount":"3","failedCount":0,"errorCount":0,"testCaseCount":3}', times: Infinity }], inputs: { operation: 'wait', 'test-run-ids': 'r', timeout: '3s' }, expect: { code: 1, outputs: { 'tests-result': 'timed-out' } } },
  { name: 'an oversized answer', group: 'answer', faults: [{ method: 'GET', path: ACTIVE, kind: 'body', body: 'oversized', times: Infinity }], inputs: { operation: 'active' }, expect: { code: 1, error: /the answer was larger than 8388608 bytes/ } },
  { name: 'a redirect to another host', group: 'answer', faults: [{ kind: 'redirect', location: 'trap', times: Infinity }], inputs: { operation: 'active' }, expect: { code: 1, error: /HTTP 302 REDIRECT_REFUSED/, trapUntouched: true } }
]
