import { ENVIRONMENTS, Environment, isEnvironment } from '../config/config.js'
import { ApiError } from '../errors.js'
import type { Answer } from './client.js'

/** Checks an answer's shape before anything uses it: a bad answer is a clear error, never `undefined`. */

export interface Deployment {
  id: string
  agentId: string
  environment: Environment
  artifactVersion: string
  version: string
  createdBy: string
  createdAt: string
  message?: string
}

export type ActiveByEnvironment = Record<Environment, Deployment | null>

export interface TestCaseResult {
  testCaseId: string
  /** `testCaseSnapshot.name`, else the ID, as the ADK names a case. */
  name: string
  status: string
  conversationId?: string
  /** "assertion: why", for each prompt assertion that failed. */
  failedAssertions: string[]
  /** "function: why", for each function call that failed. */
  functionFailures: string[]
}

/** A run as the platform reports it: no finish time and no link to the call that started it. */
export interface TestRun {
  id: string
  status: string
  passedCount: number
  failedCount: number
  errorCount: number
  testCaseCount: number
  /** Server clock. */
  startedAt?: string
  testHistory: TestCaseResult[]
  /** Not the API's: how far the server's clock was ahead of ours when it answered, where it said. */
  serverAheadMs?: number
}

export interface Branch {
  branchId: string
  name: string
}

export interface MergeAnswer {
  sequence: string
  testRunIds: string[]
}

export interface MergeConflict {
  path: string[]
  type: string
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
    environment: environmentOf(fields, where),
    artifactVersion: optionalString(fields, 'artifactVersion') ?? '',
    version: string(fields, 'version', where),
    createdBy: optionalString(fields, 'createdBy') ?? '',
    createdAt: optionalString(fields, 'createdAt') ?? '',
    message: optionalString(metadata, 'deployment_message')
  }
}

/** One of the three: any other would be a deployment the action cannot place on the ladder. */
function environmentOf(fields: Json, where: string): Environment {
  const environment = string(fields, 'environment', where)
  if (isEnvironment(environment)) return environment
  throw new ShapeError(`${where}.environment is '${environment}', not one of ${ENVIRONMENTS.join(', ')}`)
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
  /** The answer left `testRunIds` out (the contract lets a publish's): which runs it started is not known. */
  runsUnnamed?: true
}

function testRunIdsFrom(fields: Json): string[] {
  const ids = fields.testRunIds === undefined ? [] : array(fields.testRunIds, 'answer.testRunIds')
  return ids.map((id, index) => {
    if (typeof id !== 'string' || id === '') throw new ShapeError(`answer.testRunIds[${index}] is not an ID`)
    return id
  })
}

export function mutationFrom(body: unknown): Mutation {
  const fields = object(body, 'answer')
  const mutation: Mutation = { deployment: deploymentFrom(fields.deployment, 'answer.deployment'), testRunIds: testRunIdsFrom(fields) }
  if (fields.testRunIds === undefined) mutation.runsUnnamed = true
  return mutation
}

export function branchListFrom(body: unknown): Branch[] {
  return array(object(body, 'answer').branches, 'answer.branches').map((item, index) => {
    const fields = object(item, `answer.branches[${index}]`)
    return { branchId: string(fields, 'branchId', `answer.branches[${index}]`), name: optionalString(fields, 'name') ?? '' }
  })
}

export function mergeAnswerFrom(body: unknown): MergeAnswer {
  const fields = object(body, 'answer')
  const sequence = fields.sequence
  return { sequence: typeof sequence === 'string' || typeof sequence === 'number' ? String(sequence) : '', testRunIds: testRunIdsFrom(fields) }
}

/** The conflicts of a merge answered 400 with `hasConflicts`, which may come without the error envelope; else undefined. */
export function conflictsFrom(body: unknown): MergeConflict[] | undefined {
  if (!body || typeof body !== 'object' || (body as Json).hasConflicts !== true) return undefined
  const conflicts = Array.isArray((body as Json).conflicts) ? ((body as Json).conflicts as unknown[]) : []
  return conflicts.map((item, index) => {
    const fields = object(item, `answer.conflicts[${index}]`)
    const path = array(fields.path, `answer.conflicts[${index}].path`).map(String)
    return { path, type: optionalString(fields, 'type') ?? 'conflict' }
  })
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
    testHistory: history.map((item, index) => caseFrom(item, `answer.testHistory[${index}]`))
  }
}

const SHORT = 200

/** Text from the API, on one line and at most SHORT characters, for tables and annotations. */
function shortened(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > SHORT ? `${line.slice(0, SHORT - 1)}…` : line
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item): item is Json => Boolean(item) && typeof item === 'object') : []
}

function caseFrom(item: unknown, where: string): TestCaseResult {
  const entry = object(item, where)
  const nested = (key: string): Json => (entry[key] && typeof entry[key] === 'object' ? (entry[key] as Json) : {})
  const results = nested('results')
  const testCaseId = string(entry, 'testCaseId', where)
  const failedAssertions = records(results.prompt_assertion_results)
    .filter((assertion) => assertion.is_pass === false)
    .map((assertion) => shortened([assertion.prompt, assertion.reason].filter((part) => typeof part === 'string' && part).join(': ')))
  const functionFailures = records(results.function_call_failures)
    .filter((failure) => failure.is_pass !== true)
    .map((failure) => shortened([failure.name, failure.failure_reason ?? failure.error].filter((part) => typeof part === 'string' && part).join(': ')))
  return {
    testCaseId,
    name: shortened(optionalString(nested('testCaseSnapshot'), 'name') || testCaseId),
    status: string(entry, 'status', where).toLowerCase(),
    conversationId: optionalString(nested('rawConversation'), 'id'),
    failedAssertions,
    functionFailures
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
