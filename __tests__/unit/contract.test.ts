import { describe, it } from '@jest/globals'
import { Ajv } from 'ajv'
import fc from 'fast-check'
import { loadContract } from '../../emulator/schema.js'

// The emulator checks bodies against PolyAI's OpenAPI file with a small validator of its own (so it
// runs without an install). Here Ajv, a full JSON Schema validator, reads the same file and must
// agree with it on every body, valid or not.
const contract = loadContract()
const SCHEMAS = [
  'PublishDeploymentBody',
  'PromoteDeploymentPublicBody',
  'RollbackDeploymentPublicBody',
  'DeploymentResponse',
  'GetDeploymentsResponse',
  'MutationDeploymentResponse',
  'MutationDeploymentPublicResponse',
  'Error'
]

const ajv = new Ajv({ strict: false, allErrors: true })
// OpenAPI's `example` is not a JSON Schema keyword. Ajv knows `nullable`, but only beside a `type`:
// alone (Error.data) it adds nothing to a schema that already takes any value, so it is dropped there.
ajv.addKeyword({ keyword: 'example' })
const withoutBareNullable = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutBareNullable)
  if (!value || typeof value !== 'object') return value
  const entries = Object.entries(value).filter(([key]) => !(key === 'nullable' && !('type' in value)))
  return Object.fromEntries(entries.map(([key, inner]) => [key, withoutBareNullable(inner)]))
}
ajv.addSchema({ $id: 'contract', components: withoutBareNullable(contract.document.components) })
const ajvFor = (name: string) => ajv.getSchema(`contract#/components/schemas/${name}`)!

const deployment = fc.record(
  {
    id: fc.string(),
    accountId: fc.string(),
    agentId: fc.string(),
    environment: fc.constantFrom('sandbox', 'pre-release', 'live'),
    artifactVersion: fc.string(),
    version: fc.string(),
    createdBy: fc.string(),
    createdAt: fc.string(),
    metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.constant(null), fc.integer())
  },
  { requiredKeys: ['id', 'environment'] }
)
const near = fc.oneof(
  fc.record({ deploymentMessage: fc.oneof(fc.string(), fc.integer()), environment: fc.oneof(fc.string(), fc.constant(3)), targetEnvironment: fc.constantFrom('pre-release', 'live', 'sandbox', 7) }, { requiredKeys: [] }),
  fc.record({ deployment, testRunIds: fc.oneof(fc.array(fc.string()), fc.array(fc.integer()), fc.string()) }, { requiredKeys: [] }),
  fc.record({ deployments: fc.oneof(fc.array(deployment), fc.constant(null)) }),
  deployment,
  fc.record({ success: fc.boolean(), error: fc.string(), error_id: fc.string(), error_code: fc.string(), error_message: fc.string(), data: fc.constant(null) }, { requiredKeys: [] }),
  fc.jsonValue()
)

describe.each(SCHEMAS)('%s', (name) => {
  it('the emulator\'s validator and Ajv agree on whether a body is valid', () => {
    const reference = ajvFor(name)
    fc.assert(
      fc.property(near, (body) => {
        const ours = contract.validate(name, body)
        const theirs = reference(body)
        if (theirs !== (ours.length === 0)) throw new Error(`${name}: Ajv says ${theirs}, emulator says ${JSON.stringify(ours)} for ${JSON.stringify(body)}`)
      }),
      { numRuns: 400 }
    )
  })
})
