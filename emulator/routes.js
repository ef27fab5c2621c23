// The endpoints: match a path, check the request against the contract, call the state, and say
// which contract schema the answer must satisfy.
import { ApiError } from './errors.js'
import { ENVIRONMENTS } from './state.js'

/**
 * @typedef {import('./state.js').EmulatorState} EmulatorState
 * @typedef {import('./schema.js').Schema} Schema
 * @typedef {ReturnType<typeof import('./schema.js').loadContract>} Contract
 * @typedef {{ state: EmulatorState, contract: Contract, params: Record<string, string>,
 *   query: Record<string, string>, rawBody: string, recordViolation: (message: string) => void }} RouteContext
 * @typedef {{ status: number, body: unknown, schema?: string | Schema, createdDeploymentId?: string }} RouteResult
 * @typedef {(context: RouteContext) => RouteResult} Handler
 */

/** @type {{ segments: string[], handlers: Record<string, Handler> }[]} */
const ROUTES = [
  { segments: ['v1', 'agents', ':agentId', 'deployments'], handlers: { GET: listDeployments } },
  { segments: ['v1', 'agents', ':agentId', 'deployments', 'active'], handlers: { GET: activeDeployments } },
  { segments: ['v1', 'agents', ':agentId', 'deployments', 'publish'], handlers: { POST: publish } },
  { segments: ['v1', 'agents', ':agentId', 'deployments', ':deploymentId', 'promote'], handlers: { POST: promote } },
  { segments: ['v1', 'agents', ':agentId', 'deployments', ':deploymentId', 'rollback'], handlers: { POST: rollback } },
  { segments: ['v1', 'agents', ':agentId', 'branches'], handlers: { GET: listBranches } },
  { segments: ['v1', 'agents', ':agentId', 'branches', ':branchId', 'merge'], handlers: { POST: mergeBranch } },
  { segments: ['v1', 'agents', ':agentId', 'testing', 'test-runs'], handlers: { GET: listTestRuns } },
  { segments: ['v1', 'agents', ':agentId', 'testing', 'test-runs', ':testRunId'], handlers: { GET: getTestRun } }
]

/**
 * Finds the handler for a request; 404 and 405 come back as ApiErrors.
 * @param {string} method @param {string} pathname the raw (still percent-encoded) path
 * @returns {{ handler: Handler, params: Record<string, string> }}
 */
export function findHandler(method, pathname) {
  const pathSegments = decodeSegments(pathname)
  for (const route of ROUTES) {
    const params = pathSegments && matchSegments(route.segments, pathSegments)
    if (!params) continue
    const handler = route.handlers[method]
    if (handler === undefined) {
      const allowed = Object.keys(route.handlers).join(', ')
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowed}.`, { allow: allowed })
    }
    return { handler, params }
  }
  throw new ApiError(404, 'NOT_FOUND', `No endpoint at ${pathname}.`)
}

/** Each segment percent-decoded on its own, so a decoded '/' stays inside its ID. @param {string} pathname */
function decodeSegments(pathname) {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined // malformed escapes match no route
  }
}

/** @param {string[]} pattern @param {string[]} segments */
function matchSegments(pattern, segments) {
  if (pattern.length !== segments.length) return undefined
  /** @type {Record<string, string>} */
  const params = {}
  for (const [index, part] of pattern.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = segments[index]
    else if (part !== segments[index]) return undefined
  }
  return params
}

/** @type {Handler} */
function listDeployments({ state, params, query }) {
  const environment = query.environment
  if (environment === undefined || !ENVIRONMENTS.includes(environment)) {
    throw new ApiError(400, 'DEPLOYMENTS_INVALID_ENVIRONMENT', 'Invalid or missing `environment` query parameter.')
  }
  const limit = integerParam(query, 'limit', { fallback: 20, min: 1, code: 'DEPLOYMENTS_VALIDATION_FAILED' })
  const deployments = state.deployments(params.agentId, environment).slice(0, limit)
  return { status: 200, body: { deployments }, schema: 'GetDeploymentsResponse' }
}

/** @type {Handler} */
function activeDeployments({ state, contract, params }) {
  return { status: 200, body: { activeDeployments: state.active(params.agentId) }, schema: activeWithNulls(contract) }
}

/** @type {Handler} */
function publish(context) {
  const request = readBody(context, 'PublishDeploymentBody')
  const result = context.state.publish(context.params.agentId, {
    environment: request.environment,
    message: request.deploymentMessage
  })
  // The contract makes a publish's testRunIds optional: the agent's switch says whether it names them.
  const named = context.state.agent(context.params.agentId).publishNamesRuns
  const body = named ? result : { deployment: result.deployment }
  return { status: 201, body, schema: 'MutationDeploymentResponse', createdDeploymentId: result.deployment.id }
}

/** @type {Handler} */
function promote(context) {
  const body = readBody(context, 'PromoteDeploymentPublicBody')
  const { agentId, deploymentId } = context.params
  const result = context.state.promote(agentId, deploymentId, {
    targetEnvironment: body.targetEnvironment,
    message: body.deploymentMessage
  })
  if ('alreadyPublished' in result) {
    // PolyAI documents this code as a 200 without a schema; this is the shape its API returns.
    return {
      status: 200,
      body: {
        success: true,
        error_code: 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED',
        message: 'Environment already has this version',
        data: null
      }
    }
  }
  return mutationResult(result)
}

/** @type {Handler} */
function rollback(context) {
  const body = readBody(context, 'RollbackDeploymentPublicBody')
  const { agentId, deploymentId } = context.params
  return mutationResult(context.state.rollback(agentId, deploymentId, { message: body.deploymentMessage }))
}

/** @type {Handler} */
function listBranches({ state, params }) {
  return { status: 200, body: { branches: state.branches(params.agentId) }, schema: 'GetBranchesResponse' }
}

/** @type {Handler} */
function mergeBranch(context) {
  const body = readBody(context, 'MergeBranchBody')
  const { agentId, branchId } = context.params
  const before = context.state.deployments(agentId).length
  const result = context.state.merge(agentId, branchId, {
    message: body.deploymentMessage,
    conflictResolutions: body.conflictResolutions
  })
  // A merge that deployed counts as a write that created a deployment; one that only updated the draft does not.
  const created = context.state.deployments(agentId).length > before ? context.state.deployments(agentId)[0].id : undefined
  return { status: 200, body: result, schema: 'MergeBranchResponse', createdDeploymentId: created }
}

/** @type {Handler} */
function listTestRuns({ state, params, query }) {
  const limit = integerParam(query, 'limit', { fallback: 20, min: 1, code: 'VALIDATION_FAILED' })
  const offset = integerParam(query, 'offset', { fallback: 0, min: 0, code: 'VALIDATION_FAILED' })
  return { status: 200, body: { testRuns: state.visibleTestRuns(params.agentId, { limit, offset }) } }
}

/** @type {Handler} */
function getTestRun({ state, params }) {
  const run = state.visibleTestRun(params.agentId, params.testRunId)
  if (run === null) throw new ApiError(404, 'TEST_RUN_NOT_FOUND', `Test run ${params.testRunId} does not exist.`)
  return { status: 200, body: run }
}

/** @param {import('./state.js').Mutation} mutation @returns {RouteResult} */
function mutationResult(mutation) {
  return {
    status: 200,
    body: mutation,
    schema: 'MutationDeploymentPublicResponse',
    createdDeploymentId: mutation.deployment.id
  }
}


/**
 * The JSON body checked against its contract schema; an absent body counts as {}.
 * A body that fails is a contract violation by the client, answered 400.
 * @param {RouteContext} context @param {string} schemaName
 * @returns {Record<string, any>}
 */
function readBody({ contract, rawBody, recordViolation }, schemaName) {
  if (rawBody.trim() === '') return {}
  let body
  try {
    body = JSON.parse(rawBody)
  } catch {
    recordViolation(`request body is not JSON (expected ${schemaName}): ${rawBody.slice(0, 200)}`)
    throw new ApiError(400, 'DEPLOYMENTS_VALIDATION_FAILED', 'The request body is not valid JSON.')
  }
  const problems = contract.validate(schemaName, body)
  if (problems.length > 0) {
    recordViolation(`request body fails ${schemaName}: ${problems.join('; ')}`)
    throw new ApiError(400, 'DEPLOYMENTS_VALIDATION_FAILED', `The request body failed validation: ${problems.join('; ')}`)
  }
  return body
}

/**
 * @param {Record<string, string>} query @param {string} name
 * @param {{ fallback: number, min: number, code: string }} rule
 */
function integerParam(query, name, { fallback, min, code }) {
  const raw = query[name]
  if (raw === undefined) return fallback
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(value >= min)) throw new ApiError(400, code, `\`${name}\` must be an integer of at least ${min}.`)
  return value
}

/**
 * ActiveDeploymentsResponse as the API really answers: the contract's own words say entries are
 * null for an environment without a deployment, though its schema does not allow null.
 * @param {Contract} contract
 */
function activeWithNulls(contract) {
  const schema = /** @type {Record<string, any>} */ (contract.schemaFor('ActiveDeploymentsResponse'))
  const entries = schema.properties.activeDeployments
  return {
    ...schema,
    properties: {
      ...schema.properties,
      activeDeployments: { ...entries, additionalProperties: { ...entries.additionalProperties, nullable: true } }
    }
  }
}
