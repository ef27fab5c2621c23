import { ENVIRONMENTS, Environment } from '../config.js'
import { ApiError } from '../errors.js'
import type { Answer } from './client.js'

/** Checks an answer's shape before anything uses it: a bad answer is a clear error, never `undefined`. */

export interface Deployment {
  id: string
  agentId: string
  environment: string
  artifactVersion: string
  version: string
  createdBy: string
  createdAt: string
  message?: string
}

export type ActiveByEnvironment = Record<Environment, Deployment | null>

export interface TestCaseResult {
  testCaseId: string
  status: string
  conversationId?: string
}

export interface TestRun {
  id: string
  status: string
  passedCount: number
  failedCount: number
  errorCount: number
  testCaseCount: number
  startedAt?: string
  finishedAt?: string
  /** Not documented; where the API names it, a lost answer's runs can still be found. */
  deploymentId?: string
  testHistory: TestCaseResult[]
}

export class ShapeError extends Error {}

type Json = Record<string, unknown>

function object(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(`${where} is not an object`)
  return value as Json
}

function string(value: Json, key: string, where: string): string {
  const field = value[key]
  if (typeof field !== 'string' || field === '') throw new ShapeError(`${where}.${key} is missing or not a string`)
  return field
}

function optionalString(value: Json, key: string): string | undefined {
  return typeof value[key] === 'string' ? (value[key] as string) : undefined
}

function count(value: Json, key: string, where: string): number {
  const field = value[key] ?? 0
  if (typeof field !== 'number' || !Number.isInteger(field) || field < 0) {
    throw new ShapeError(`${where}.${key} is not a count`)
  }
  return field
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} is not a list`)
  return value
}

export function deploymentFrom(value: unknown, where: string): Deployment {
  const fields = object(value, where)
  const metadata = fields.metadata && typeof fields.metadata === 'object' ? (fields.metadata as Json) : {}
  return {
    id: string(fields, 'id', where),
    agentId: optionalString(fields, 'agentId') ?? '',
    environment: string(fields, 'environment', where),
    artifactVersion: optionalString(fields, 'artifactVersion') ?? '',
    version: string(fields, 'version', where),
    createdBy: optionalString(fields, 'createdBy') ?? '',
    createdAt: optionalString(fields, 'createdAt') ?? '',
    message: optionalString(metadata, 'deployment_message')
  }
}

export function deploymentListFrom(body: unknown): Deployment[] {
  return array(object(body, 'answer').deployments, 'answer.deployments').map((item, index) =>
    deploymentFrom(item, `answer.deployments[${index}]`)
  )
}

export function activeFrom(body: unknown): ActiveByEnvironment {
  const active = object(object(body, 'answer').activeDeployments, 'answer.activeDeployments')
  const result = {} as ActiveByEnvironment
  for (const environment of ENVIRONMENTS) {
    const entry = active[environment]
    result[environment] = entry == null ? null : deploymentFrom(entry, `answer.activeDeployments.${environment}`)
  }
  return result
}

export interface Mutation {
  deployment: Deployment
  testRunIds: string[]
}

export function mutationFrom(body: unknown): Mutation {
  const fields = object(body, 'answer')
  const ids = fields.testRunIds === undefined ? [] : array(fields.testRunIds, 'answer.testRunIds')
  return {
    deployment: deploymentFrom(fields.deployment, 'answer.deployment'),
    testRunIds: ids.map((id, index) => {
      if (typeof id !== 'string' || id === '') throw new ShapeError(`answer.testRunIds[${index}] is not an ID`)
      return id
    })
  }
}

export function testRunFrom(body: unknown): TestRun {
  const outer = object(body, 'answer')
  // Accept the run bare or wrapped as { testRun }, since the endpoint is not in the published contract.
  const fields = outer.testRun && typeof outer.testRun === 'object' ? object(outer.testRun, 'answer.testRun') : outer
  const history = fields.testHistory === undefined || fields.testHistory === null ? [] : array(fields.testHistory, 'answer.testHistory')
  return {
    id: string(fields, 'id', 'answer'),
    status: string(fields, 'status', 'answer').toLowerCase(),
    passedCount: count(fields, 'passedCount', 'answer'),
    failedCount: count(fields, 'failedCount', 'answer'),
    errorCount: count(fields, 'errorCount', 'answer'),
    testCaseCount: count(fields, 'testCaseCount', 'answer'),
    startedAt: optionalString(fields, 'startedAt'),
    finishedAt: optionalString(fields, 'finishedAt'),
    deploymentId: optionalString(fields, 'deploymentId'),
    testHistory: history.map((item, index) => {
      const entry = object(item, `answer.testHistory[${index}]`)
      const conversation = entry.rawConversation && typeof entry.rawConversation === 'object' ? (entry.rawConversation as Json) : {}
      return {
        testCaseId: string(entry, 'testCaseId', `answer.testHistory[${index}]`),
        status: string(entry, 'status', `answer.testHistory[${index}]`).toLowerCase(),
        conversationId: optionalString(conversation, 'id')
      }
    })
  }
}

export function testRunListFrom(body: unknown): TestRun[] {
  return array(object(body, 'answer').testRuns, 'answer.testRuns').map((item) => testRunFrom(item))
}

/** Runs a shape check on an answer, turning a mismatch into an ApiError that names the request. */
export function shaped<T>(answer: Answer, label: string, check: (body: unknown) => T): T {
  try {
    return check(answer.body)
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error
    throw new ApiError(answer.status, 'INVALID_RESPONSE', `unexpected answer: ${error.message}`, answer.correlationId, label)
  }
}

/** A 200 that says "nothing to do": its shape is undocumented, so look for the code in any top-level field. */
export function saysAlreadyPublished(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false
  return Object.values(body as Json).some((value) => value === 'DEPLOYMENTS_ENVIRONMENT_ALREADY_PUBLISHED')
}
