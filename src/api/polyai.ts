import { Environment } from '../config/config.js'
import { ApiClient, CallOptions } from './client.js'
import { ApiError } from '../errors.js'
import {
  ActiveByEnvironment,
  activeFrom,
  Branch,
  branchListFrom,
  conflictsFrom,
  Deployment,
  deploymentListFrom,
  MergeAnswer,
  mergeAnswerFrom,
  MergeConflict,
  Mutation,
  mutationFrom,
  saysAlreadyPublished,
  shaped,
  TestRun,
  testRunFrom,
  testRunListFrom
} from './shapes.js'

/** One small function per endpoint of the PolyAI Agents API that the action uses. */

/** Each ID is one path segment: '/', '..', '%', '?' and '#' cannot change the path. */
export function segment(id: string): string {
  return encodeURIComponent(id).replace(/\./g, '%2E')
}

const agentPath = (agentId: string): string => `/v1/agents/${segment(agentId)}`

export function listDeployments(client: ApiClient, agentId: string, environment: Environment, limit: number): Promise<Deployment[]> {
  const path = `${agentPath(agentId)}/deployments`
  return client
    .get(path, { query: { environment, limit } })
    .then((answer) => shaped(answer, `GET ${path}`, deploymentListFrom))
}

export function activeDeployments(client: ApiClient, agentId: string, call?: CallOptions): Promise<ActiveByEnvironment> {
  const path = `${agentPath(agentId)}/deployments/active`
  return client.get(path, call).then((answer) => shaped(answer, `GET ${path}`, activeFrom))
}

/** `already` is true where the server answered that the environment runs this version already. */
export type MutationAnswer = { already: false; mutation: Mutation } | { already: true }

export async function publishDraft(client: ApiClient, agentId: string, environment: Environment, message: string): Promise<MutationAnswer> {
  const path = `${agentPath(agentId)}/deployments/publish`
  const answer = await client.post(path, { deploymentMessage: message, environment })
  // Which calls answer this 200 is not documented: every deployment call reads it.
  if (saysAlreadyPublished(answer.body)) return { already: true }
  return { already: false, mutation: shaped(answer, `POST ${path}`, mutationFrom) }
}

export async function promoteDeployment(
  client: ApiClient,
  agentId: string,
  deploymentId: string,
  targetEnvironment: 'pre-release' | 'live',
  message: string
): Promise<MutationAnswer> {
  const path = `${agentPath(agentId)}/deployments/${segment(deploymentId)}/promote`
  const answer = await client.post(path, { deploymentMessage: message, targetEnvironment })
  if (saysAlreadyPublished(answer.body)) return { already: true }
  return { already: false, mutation: shaped(answer, `POST ${path}`, mutationFrom) }
}

export async function rollbackTo(client: ApiClient, agentId: string, deploymentId: string, message: string): Promise<MutationAnswer> {
  const path = `${agentPath(agentId)}/deployments/${segment(deploymentId)}/rollback`
  const answer = await client.post(path, { deploymentMessage: message })
  if (saysAlreadyPublished(answer.body)) return { already: true }
  return { already: false, mutation: shaped(answer, `POST ${path}`, mutationFrom) }
}

export function listTestRuns(client: ApiClient, agentId: string, limit: number, offset = 0): Promise<TestRun[]> {
  const path = `${agentPath(agentId)}/testing/test-runs`
  return client.get(path, { query: { limit, offset } }).then((answer) => shaped(answer, `GET ${path}`, testRunListFrom))
}

export function getTestRun(client: ApiClient, agentId: string, testRunId: string, call?: CallOptions): Promise<TestRun> {
  const path = `${agentPath(agentId)}/testing/test-runs/${segment(testRunId)}`
  return client.get(path, call).then((answer) => ({ ...shaped(answer, `GET ${path}`, testRunFrom), serverAheadMs: answer.serverAheadMs }))
}

export function listBranches(client: ApiClient, agentId: string, call?: CallOptions): Promise<Branch[]> {
  const path = `${agentPath(agentId)}/branches`
  return client.get(path, call).then((answer) => shaped(answer, `GET ${path}`, branchListFrom))
}

export type ConflictResolution = { path: string[]; strategy: 'ours' | 'theirs' | 'base' }

/** A merge either lands, or answers with the conflicts that stop it. */
export type MergeResult = { merged: MergeAnswer } | { conflicts: MergeConflict[] }

export async function mergeBranch(
  client: ApiClient,
  agentId: string,
  branchId: string,
  message: string,
  conflictResolutions: ConflictResolution[]
): Promise<MergeResult> {
  const path = `${agentPath(agentId)}/branches/${segment(branchId)}/merge`
  const body = conflictResolutions.length > 0 ? { deploymentMessage: message, conflictResolutions } : { deploymentMessage: message }
  try {
    const answer = await client.post(path, body)
    return { merged: shaped(answer, `POST ${path}`, mergeAnswerFrom) }
  } catch (error) {
    // A conflict that cannot be read is an answer that cannot be read, named as such.
    const refusal = error instanceof ApiError && error.status === 400 ? { status: 400, body: error.body, correlationId: error.correlationId } : undefined
    const conflicts = refusal ? shaped(refusal, `POST ${path}`, conflictsFrom) : undefined
    if (conflicts) return { conflicts }
    throw error
  }
}
