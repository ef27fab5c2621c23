import { describe, it, expect } from '@jest/globals'
import type { Environment } from '../../src/config/config.js'
import type { ActiveByEnvironment, Deployment } from '../../src/api/shapes.js'
import { Expected, findCreated } from '../../src/operations/write-once.js'

function deployment(id: string, environment: Environment, version: string, message?: string): Deployment {
  return { id, agentId: 'agent-1', environment, artifactVersion: '', version, createdBy: '', createdAt: '', message }
}

const OLD_SANDBOX = deployment('sb-1', 'sandbox', 'v1', 'old')
const OLD_PRE = deployment('pr-1', 'pre-release', 'v0', 'old')
const BEFORE: ActiveByEnvironment = { sandbox: OLD_SANDBOX, 'pre-release': OLD_PRE, live: null }

const NEW_SANDBOX = deployment('sb-2', 'sandbox', 'v2', 'ship it')
const NEW_PRE = deployment('pr-2', 'pre-release', 'v1', 'ship it')
const NEW_LIVE = deployment('lv-1', 'live', 'v0', undefined)

describe('findCreated', () => {
  const cases: [string, ActiveByEnvironment, Expected, string | undefined][] = [
    ['nothing changed', BEFORE, {}, undefined],
    ['nothing changed in the named environment', { ...BEFORE, live: NEW_LIVE }, { environment: 'sandbox' }, undefined],
    ['a new deployment in the named environment', { ...BEFORE, sandbox: NEW_SANDBOX }, { environment: 'sandbox' }, 'sb-2'],
    ['a new deployment where nothing was active', { ...BEFORE, live: NEW_LIVE }, { environment: 'live' }, 'lv-1'],
    ['the environment emptied', { ...BEFORE, sandbox: null }, { environment: 'sandbox' }, undefined],
    ['matching version', { ...BEFORE, 'pre-release': NEW_PRE }, { environment: 'pre-release', version: 'v1' }, 'pr-2'],
    ['another version', { ...BEFORE, 'pre-release': NEW_PRE }, { environment: 'pre-release', version: 'v9' }, undefined],
    ['matching message', { ...BEFORE, sandbox: NEW_SANDBOX }, { environment: 'sandbox', message: 'ship it' }, 'sb-2'],
    ['another message', { ...BEFORE, sandbox: NEW_SANDBOX }, { environment: 'sandbox', message: 'someone else' }, undefined],
    ['a deployment without a message matches any message', { ...BEFORE, live: NEW_LIVE }, { environment: 'live', message: 'mine' }, 'lv-1'],
    ['unknown environment: searches all, in ladder order', { sandbox: NEW_SANDBOX, 'pre-release': NEW_PRE, live: null }, {}, 'sb-2'],
    ['unknown environment: skips a non-match', { sandbox: NEW_SANDBOX, 'pre-release': NEW_PRE, live: null }, { version: 'v1' }, 'pr-2'],
    ['unknown environment: finds live', { ...BEFORE, live: NEW_LIVE }, { version: 'v0', message: 'x' }, 'lv-1'],
    ['same id as before is not new, even with other fields', { ...BEFORE, sandbox: { ...OLD_SANDBOX, version: 'v2' } }, { environment: 'sandbox' }, undefined],
    ['all conditions must hold', { ...BEFORE, sandbox: NEW_SANDBOX }, { environment: 'sandbox', version: 'v2', message: 'nope' }, undefined]
  ]
  it.each(cases)('%s', (_name, now, expected, id) => {
    expect(findCreated(BEFORE, now, expected)?.id).toBe(id)
  })

  it('returns the deployment object itself', () => {
    expect(findCreated(BEFORE, { ...BEFORE, sandbox: NEW_SANDBOX }, { environment: 'sandbox' })).toBe(NEW_SANDBOX)
  })

  it('treats everything as new when nothing was active before', () => {
    const empty: ActiveByEnvironment = { sandbox: null, 'pre-release': null, live: null }
    expect(findCreated(empty, BEFORE, {})?.id).toBe('sb-1')
    expect(findCreated(empty, empty, {})).toBeUndefined()
  })
})
