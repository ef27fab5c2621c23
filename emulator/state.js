// What the emulated API remembers per agent: its draft, its deployments (the active one per
// environment is the one added last there) and the test runs each deployment call triggered.
import { randomBytes } from 'node:crypto'
import { ApiError } from './errors.js'
import { createTestRuns, isHidden, planFor, viewTestRun } from './test-runs.js'

/**
 * @typedef {import('./test-runs.js').TestPlan} TestPlan
 * @typedef {import('./test-runs.js').TestRunRecord} TestRunRecord
 * @typedef {{ draftVersion?: string, testPlan?: Record<string, TestPlan> }} AgentOptions
 * @typedef {{ id: string, accountId: string, agentId: string, environment: string, artifactVersion: string,
 *   version: string, createdBy: string, createdAt: string, metadata?: Record<string, string> }} Deployment
 * @typedef {{ id: string, draftVersion: string, testPlans: Record<string, TestPlan>,
 *   deployments: Deployment[], testRuns: TestRunRecord[] }} Agent
 * @typedef {{ deployment: Deployment, testRunIds: string[] }} Mutation
 */

export const ENVIRONMENTS = ['sandbox', 'pre-release', 'live']
/** @type {Record<string, string | undefined>} */
const NEXT_RUNG = { sandbox: 'pre-release', 'pre-release': 'live' }
const ACCOUNT_ID = 'acc_emulator'
const CREATED_BY = 'ci@example.com'

/** @param {number} bytes */
const randomHex = (bytes) => randomBytes(bytes).toString('hex')

export class EmulatorState {
  /** @type {Map<string, Agent>} */
  #agentsById = new Map()
  #initialAgents
  #now

  /**
   * @param {Record<string, AgentOptions>} initialAgents applied now and again on every reset()
   * @param {() => number} now the clock test runs progress by
   */
  constructor(initialAgents = {}, now = Date.now) {
    this.#initialAgents = initialAgents
    this.#now = now
    this.reset()
  }

  reset() {
    this.#agentsById.clear()
    for (const [agentId, options] of Object.entries(this.#initialAgents)) this.configureAgent(agentId, options)
  }

  /** Any agent ID works: an unknown one is created with defaults on first use. @param {string} agentId */
  agent(agentId) {
    let agent = this.#agentsById.get(agentId)
    if (agent === undefined) {
      agent = { id: agentId, draftVersion: randomHex(6), testPlans: {}, deployments: [], testRuns: [] }
      this.#agentsById.set(agentId, agent)
    }
    return agent
  }

  /**
   * Merges options into the agent; each environment's plan given here replaces its earlier one.
   * @param {string} agentId @param {AgentOptions} options
   */
  configureAgent(agentId, options = {}) {
    const agent = this.agent(agentId)
    if (options.draftVersion !== undefined) agent.draftVersion = options.draftVersion
    if (options.testPlan !== undefined) {
      agent.testPlans = { ...agent.testPlans, ...options.testPlan }
      for (const environment of ENVIRONMENTS) planFor(agent.testPlans, environment) // fail fast on a bad plan
    }
  }

  /** @param {string} agentId @param {string} version */
  setDraft(agentId, version) {
    this.agent(agentId).draftVersion = version
  }

  /** Newest first. @param {string} agentId @param {string} [environment] */
  deployments(agentId, environment) {
    return this.agent(agentId).deployments
      .filter((deployment) => environment === undefined || deployment.environment === environment)
      .reverse() // later additions first among equal timestamps; sort() is stable
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .map(copyDeployment)
  }

  /** @param {string} agentId @returns {Record<string, Deployment | null>} */
  active(agentId) {
    const agent = this.agent(agentId)
    return Object.fromEntries(ENVIRONMENTS.map((environment) => {
      const deployment = activeIn(agent, environment)
      return [environment, deployment ? copyDeployment(deployment) : null]
    }))
  }

  /**
   * Puts the current draft into `environment`.
   * @param {string} agentId @param {{ environment?: string, message?: string }} request @returns {Mutation}
   */
  publish(agentId, { environment = 'sandbox', message }) {
    if (!ENVIRONMENTS.includes(environment)) {
      throw new ApiError(400, 'DEPLOYMENTS_INVALID_ENVIRONMENT', `Invalid environment "${environment}".`)
    }
    const agent = this.agent(agentId)
    if (activeIn(agent, environment)?.version === agent.draftVersion) {
      throw new ApiError(409, 'DEPLOYMENTS_ALREADY_PUBLISHED', `The draft is already published to ${environment}.`)
    }
    return this.#deploy(agent, {
      environment,
      version: agent.draftVersion,
      artifactVersion: `art-${randomHex(4)}`,
      metadata: metadataOf({ deployment_message: message })
    })
  }

  /**
   * Moves a deployment's version to `targetEnvironment`, or one rung up the ladder.
   * @param {string} agentId @param {string} deploymentId
   * @param {{ targetEnvironment?: string, message?: string }} request
   * @returns {Mutation | { alreadyPublished: true }}
   */
  promote(agentId, deploymentId, { targetEnvironment, message }) {
    const agent = this.agent(agentId)
    const source = findDeployment(agent, deploymentId)
    const target = targetEnvironment ?? NEXT_RUNG[source.environment]
    if (target === undefined) {
      throw new ApiError(400, 'DEPLOYMENTS_INVALID_ENVIRONMENT', 'A live deployment has no environment above it.')
    }
    if (activeIn(agent, target)?.version === source.version) return { alreadyPublished: true }
    if (target === 'live' && activeIn(agent, 'pre-release')?.version !== source.version) {
      throw new ApiError(412, 'ErrPreReleaseNotReady', `Version ${source.version} is not active in pre-release.`)
    }
    return this.#deploy(agent, {
      environment: target,
      version: source.version,
      artifactVersion: source.artifactVersion,
      metadata: metadataOf({ deployment_message: message, promoted_from: source.id })
    })
  }

  /**
   * Makes an earlier deployment's version current again in its environment, as a new deployment.
   * @param {string} agentId @param {string} deploymentId @param {{ message?: string }} request @returns {Mutation}
   */
  rollback(agentId, deploymentId, { message }) {
    const agent = this.agent(agentId)
    const earlier = findDeployment(agent, deploymentId)
    return this.#deploy(agent, {
      environment: earlier.environment,
      version: earlier.version,
      artifactVersion: earlier.artifactVersion,
      metadata: metadataOf({ deployment_message: message, rolled_back_to: earlier.id })
    })
  }

  /**
   * Test setup: records an active deployment without triggering runs. The version defaults to a
   * fresh hash, i.e. an earlier build than the draft.
   * @param {string} agentId @param {string} environment
   * @param {{ version?: string, message?: string, createdAt?: string | number | Date }} [fields]
   */
  seedDeployment(agentId, environment, { version = randomHex(6), message, createdAt } = {}) {
    if (!ENVIRONMENTS.includes(environment)) throw new Error(`unknown environment ${environment}`)
    const deployment = this.#record(this.agent(agentId), {
      environment,
      version,
      artifactVersion: `art-${randomHex(4)}`,
      metadata: metadataOf({ deployment_message: message })
    }, createdAt === undefined ? this.#now() : new Date(createdAt).getTime())
    return copyDeployment(deployment)
  }

  /** The run as it stands now, ignoring its 404 window; null when unknown. @param {string} agentId @param {string} runId */
  testRun(agentId, runId) {
    const run = this.#findRun(agentId, runId)
    return run === undefined ? null : viewTestRun(run, this.#now())
  }

  /** The run as the API answers it: null when unknown or still in its 404 window. @param {string} agentId @param {string} runId */
  visibleTestRun(agentId, runId) {
    const nowMs = this.#now()
    const run = this.#findRun(agentId, runId)
    return run === undefined || isHidden(run, nowMs) ? null : viewTestRun(run, nowMs)
  }

  /** Newest first, without runs still in their 404 window. @param {string} agentId @param {{ limit: number, offset: number }} page */
  visibleTestRuns(agentId, { limit, offset }) {
    const nowMs = this.#now()
    return this.agent(agentId).testRuns
      .filter((run) => !isHidden(run, nowMs))
      .reverse()
      .slice(offset, offset + limit)
      .map((run) => viewTestRun(run, nowMs))
  }

  /** @param {string} agentId @param {string} runId */
  #findRun(agentId, runId) {
    return this.agent(agentId).testRuns.find((run) => run.id === runId)
  }

  /**
   * @param {Agent} agent @param {Omit<Deployment, 'id' | 'accountId' | 'agentId' | 'createdBy' | 'createdAt'>} fields
   * @returns {Mutation}
   */
  #deploy(agent, fields) {
    const nowMs = this.#now()
    const deployment = this.#record(agent, fields, nowMs)
    const runs = createTestRuns(planFor(agent.testPlans, deployment.environment), {
      deploymentId: deployment.id,
      environment: deployment.environment,
      nowMs
    })
    agent.testRuns.push(...runs)
    return { deployment: copyDeployment(deployment), testRunIds: runs.map((run) => run.id) }
  }

  /**
   * @param {Agent} agent @param {Omit<Deployment, 'id' | 'accountId' | 'agentId' | 'createdBy' | 'createdAt'>} fields
   * @param {number} createdAtMs
   */
  #record(agent, { environment, version, artifactVersion, metadata }, createdAtMs) {
    /** @type {Deployment} */
    const deployment = {
      id: `dep_${randomHex(5)}`,
      accountId: ACCOUNT_ID,
      agentId: agent.id,
      environment,
      artifactVersion,
      version,
      createdBy: CREATED_BY,
      createdAt: new Date(createdAtMs).toISOString(),
      ...(metadata && { metadata })
    }
    agent.deployments.push(deployment)
    return deployment
  }
}

/** @param {Agent} agent @param {string} environment */
function activeIn(agent, environment) {
  return agent.deployments.findLast((deployment) => deployment.environment === environment)
}

/** @param {Agent} agent @param {string} deploymentId */
function findDeployment(agent, deploymentId) {
  const deployment = agent.deployments.find((candidate) => candidate.id === deploymentId)
  if (deployment === undefined) throw new ApiError(404, 'DEPLOYMENT_NOT_FOUND', 'Deployment ID does not exist.')
  return deployment
}

/** Metadata with the given fields that have a value; undefined when none has. @param {Record<string, string | undefined>} fields */
function metadataOf(fields) {
  const present = Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')
  return present.length === 0 ? undefined : /** @type {Record<string, string>} */ (Object.fromEntries(present))
}

/** Callers get copies, so they cannot change what the emulator remembers. @param {Deployment} deployment */
function copyDeployment(deployment) {
  return deployment.metadata ? { ...deployment, metadata: { ...deployment.metadata } } : { ...deployment }
}
