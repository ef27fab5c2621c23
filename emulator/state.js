// What the emulated API remembers per agent: its draft, its deployments (the active one per
// environment is the one added last there) and the test runs each deployment call triggered.
import { randomBytes } from 'node:crypto'
import { Branches } from './branches.js'
import { ApiError } from './errors.js'
import { createTestRuns, finishesAt, isHidden, planFor, uuidLike, viewTestRun } from './test-runs.js'

/**
 * @typedef {import('./test-runs.js').TestPlan} TestPlan
 * @typedef {import('./test-runs.js').TestRunRecord} TestRunRecord
 * @typedef {'publish' | 'merge' | 'promote' | 'rollback'} Trigger
 * @typedef {{ draftVersion?: string, testPlan?: Record<string, TestPlan>, triggers?: Partial<Record<Trigger, boolean>>,
 *   mergeMode?: 'deploy' | 'draft', simplified?: boolean, keepsMessages?: boolean, rollbackOnlyInSandbox?: boolean,
 *   runPageCap?: number, publishNamesRuns?: boolean }} AgentOptions
 * @typedef {{ id: string, accountId: string, agentId: string, environment: string, artifactVersion: string,
 *   version: string, createdBy: string, createdAt: string, metadata?: Record<string, string> | null }} Deployment
 * @typedef {{ id: string, draftVersion: string, testPlans: Record<string, TestPlan>,
 *   triggers: Record<Trigger, boolean>, mergeMode: 'deploy' | 'draft', simplified: boolean, keepsMessages: boolean, rollbackOnlyInSandbox: boolean, runPageCap: number,
 *   publishNamesRuns: boolean,
 *   deployments: Deployment[], testRuns: TestRunRecord[], branches: Branches }} Agent
 * @typedef {{ deployment: Deployment, testRunIds: string[] }} Mutation
 */

/** Which calls start test runs: as every recorded answer had it, publish and merge do, promote and rollback do not. */
const DEFAULT_TRIGGERS = { publish: true, merge: true, promote: false, rollback: false }

export const ENVIRONMENTS = ['sandbox', 'pre-release', 'live']
/** @type {Record<string, string | undefined>} */
const NEXT_RUNG = { sandbox: 'pre-release', 'pre-release': 'live' }
const ACCOUNT_ID = 'acme-ws'
const CREATED_BY = 'dev@acme.example'

/** @param {number} bytes */
const randomHex = (bytes) => randomBytes(bytes).toString('hex')

/**
 * A publish's or a merge's metadata: no source shows whether their message is kept (a promote's
 * was, a rollback's was not), so the agent's switch says. Without it the metadata stays an object,
 * as the contract's publish answer has it (only promote and rollback answers may have null).
 * @param {Agent} agent @param {string | undefined} message
 */
const publishMetadata = (agent, message) =>
  agent.keepsMessages ? { deployment_message: message ?? '', deployment_type: 'publish' } : { deployment_type: 'publish' }

export class EmulatorState {
  /** @type {Map<string, Agent>} */
  #agentsById = new Map()
  #initialAgents
  #now

  /**
   * @param {Record<string, AgentOptions>} initialAgents applied now and again on every reset()
   * @param {() => number} now the server's clock: deployments and test runs are stamped and progress by it
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
      agent = {
        id: agentId,
        draftVersion: randomHex(16),
        testPlans: {},
        triggers: { ...DEFAULT_TRIGGERS },
        mergeMode: 'deploy',
        simplified: false,
        keepsMessages: true,
        rollbackOnlyInSandbox: false,
        runPageCap: Number.POSITIVE_INFINITY,
        publishNamesRuns: true,
        deployments: [],
        testRuns: [],
        branches: new Branches()
      }
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
    if (options.draftVersion !== undefined) this.setDraft(agentId, options.draftVersion)
    if (options.triggers !== undefined) agent.triggers = { ...agent.triggers, ...options.triggers }
    if (options.mergeMode !== undefined) agent.mergeMode = options.mergeMode
    if (options.simplified !== undefined) agent.simplified = options.simplified
    if (options.keepsMessages !== undefined) agent.keepsMessages = options.keepsMessages
    if (options.rollbackOnlyInSandbox !== undefined) agent.rollbackOnlyInSandbox = options.rollbackOnlyInSandbox
    if (options.runPageCap !== undefined) agent.runPageCap = options.runPageCap
    if (options.publishNamesRuns !== undefined) agent.publishNamesRuns = options.publishNamesRuns
    if (options.testPlan !== undefined) {
      agent.testPlans = { ...agent.testPlans, ...options.testPlan }
      for (const environment of ENVIRONMENTS) planFor(agent.testPlans, environment) // fail fast on a bad plan
    }
  }

  /** @param {string} agentId @param {string} version */
  setDraft(agentId, version) {
    this.agent(agentId).draftVersion = version
  }

  /** The server's clock, for tests that stamp seeded runs and deployments. */
  now() {
    return this.#now()
  }

  /** Newest first. @param {string} agentId @param {string} [environment] */
  deployments(agentId, environment) {
    return this.agent(agentId).deployments
      .filter((deployment) => environment === undefined || deployment.environment === environment)
      .reverse() // later additions first among equal timestamps; sort() is stable
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .map(listedDeployment)
  }

  /** @param {string} agentId @returns {Record<string, Deployment | null>} */
  active(agentId) {
    const agent = this.agent(agentId)
    return Object.fromEntries(ENVIRONMENTS.map((environment) => {
      const deployment = activeIn(agent, environment)
      return [environment, deployment ? listedDeployment(deployment) : null]
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
    return this.#deploy(agent, 'publish', {
      environment,
      version: agent.draftVersion,
      // As recorded, a publish builds the draft: its artifactVersion is the moment it was made.
      artifactVersion: new Date(this.#now()).toISOString(),
      metadata: publishMetadata(agent, message)
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
    // A simplified project's platform refuses no promote, which is why the ADK refuses them itself.
    if (!agent.simplified && target === 'live' && activeIn(agent, 'pre-release')?.version !== source.version) {
      throw new ApiError(412, 'ErrPreReleaseNotReady', `Version ${source.version} is not active in pre-release.`)
    }
    return this.#deploy(agent, 'promote', {
      environment: target,
      version: source.version,
      artifactVersion: source.artifactVersion,
      metadata: { deployment_message: message ?? '', deployment_type: 'promotion' }
    })
  }

  /**
   * Makes an earlier deployment's version current again in its environment, as a new deployment.
   * @param {string} agentId @param {string} deploymentId @param {{ message?: string }} request @returns {Mutation}
   */
  rollback(agentId, deploymentId, { message }) {
    void message // sent, and not kept
    const agent = this.agent(agentId)
    const earlier = findDeployment(agent, deploymentId)
    const environment = agent.simplified ? 'live' : earlier.environment
    // The ADK says only sandbox (live, simplified) takes a rollback; the quickstart says any
    // environment. The refusal's answer is not recorded: this one is a guess.
    if (agent.rollbackOnlyInSandbox && environment !== 'sandbox' && !agent.simplified) {
      throw new ApiError(400, 'DEPLOYMENTS_INVALID_ENVIRONMENT', `Rollback is not supported in ${environment}.`)
    }
    // Recorded rollbacks answered `metadata: null`: the message is not kept. A simplified project rolls back live.
    return this.#deploy(agent, 'rollback', {
      environment,
      version: earlier.version,
      artifactVersion: earlier.artifactVersion,
      metadata: null
    })
  }

  /** @param {string} agentId */
  branches(agentId) {
    return this.agent(agentId).branches.list()
  }

  /**
   * Test setup: a Studio branch off main, optionally with conflicts a merge must resolve.
   * @param {string} agentId @param {string} name
   * @param {{ conflicts?: import('./branches.js').Conflict[] }} [fields]
   */
  addBranch(agentId, name, fields = {}) {
    return this.agent(agentId).branches.add(name, fields.conflicts ?? [])
  }

  /**
   * Merges a branch into main. Where the merge lands depends on the project: in sandbox (`deploy`),
   * only in main's draft (`draft`), or in live on a simplified project; the merge's own runs follow `triggers`.
   * @param {string} agentId @param {string} branchId
   * @param {{ message?: string, conflictResolutions?: { path: string[], strategy: string }[] }} request
   */
  merge(agentId, branchId, { message, conflictResolutions = [] }) {
    const agent = this.agent(agentId)
    const { sequence } = agent.branches.merge(branchId, conflictResolutions)
    this.setDraft(agentId, randomHex(16))
    const environment = agent.simplified ? 'live' : agent.mergeMode === 'deploy' ? 'sandbox' : undefined
    let testRunIds = []
    if (environment !== undefined) {
      testRunIds = this.#deploy(agent, 'merge', {
        environment,
        version: agent.draftVersion,
        artifactVersion: new Date(this.#now()).toISOString(),
        metadata: publishMetadata(agent, message)
      }).testRunIds
    } else if (agent.triggers.merge) {
      testRunIds = this.#startRuns(agent, 'sandbox')
    }
    return { sequence, message: 'Branch merged successfully', testRunIds }
  }

  /**
   * Test setup: records an active deployment without triggering runs. The version defaults to a
   * fresh hash; its build time (`artifactVersion`) to the creation time, or that of an earlier
   * deployment of the same version, so builds seeded later are newer.
   * @param {string} agentId @param {string} environment
   * @param {{ version?: string, message?: string, createdAt?: string | number | Date }} [fields]
   */
  seedDeployment(agentId, environment, { version = randomHex(16), message, createdAt, builtAt } = {}) {
    if (!ENVIRONMENTS.includes(environment)) throw new Error(`unknown environment ${environment}`)
    const createdAtMs = createdAt === undefined ? this.#now() : new Date(createdAt).getTime()
    const agent = this.agent(agentId)
    // One version is one build: a version seen before keeps its build time.
    const sameBuild = agent.deployments.find((deployment) => deployment.version === version)
    const artifactVersion = builtAt !== undefined ? new Date(builtAt).toISOString() : sameBuild?.artifactVersion ?? new Date(createdAtMs).toISOString()
    const deployment = this.#record(agent, {
      environment,
      version,
      artifactVersion,
      metadata: { deployment_message: message ?? '', deployment_type: 'publish' }
    }, createdAtMs)
    return copyDeployment(deployment)
  }

  /**
   * Test setup: runs as a deployment call would have started them at `startedAt`, found later only by time.
   * @param {string} agentId @param {string} environment whose plan shapes them
   * @param {string | number | Date} startedAt
   */
  seedTestRuns(agentId, environment, startedAt) {
    return this.#startRuns(this.agent(agentId), environment, new Date(startedAt).getTime())
  }

  /** The run as it stands now, ignoring its 404 window; null when unknown. @param {string} agentId @param {string} runId */
  testRun(agentId, runId) {
    const run = this.#findRun(agentId, runId)
    return run === undefined ? null : viewTestRun(run, this.#now())
  }

  /** When the run finishes on the server's clock; null when it never does or is unknown. @param {string} agentId @param {string} runId */
  runFinishesAt(agentId, runId) {
    const run = this.#findRun(agentId, runId)
    return run === undefined ? null : finishesAt(run)
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
    const agent = this.agent(agentId)
    return agent.testRuns
      .filter((run) => !isHidden(run, nowMs))
      .reverse() // later additions first among equal start times; sort() is stable
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .slice(offset, offset + Math.min(limit, agent.runPageCap))
      .map((run) => viewTestRun(run, nowMs))
  }

  /** @param {string} agentId @param {string} runId */
  #findRun(agentId, runId) {
    return this.agent(agentId).testRuns.find((run) => run.id === runId)
  }

  /**
   * @param {Agent} agent @param {Trigger} trigger the kind of call, which decides whether it starts runs
   * @param {Omit<Deployment, 'id' | 'accountId' | 'agentId' | 'createdBy' | 'createdAt'>} fields
   * @returns {Mutation}
   */
  #deploy(agent, trigger, fields) {
    const nowMs = this.#now()
    const deployment = this.#record(agent, fields, nowMs)
    const testRunIds = agent.triggers[trigger] ? this.#startRuns(agent, deployment.environment, nowMs) : []
    return { deployment: copyDeployment(deployment), testRunIds }
  }

  /** @param {Agent} agent @param {string} environment whose plan shapes the runs @param {number} [atMs] */
  #startRuns(agent, environment, atMs = this.#now()) {
    const runs = createTestRuns(planFor(agent.testPlans, environment), atMs)
    agent.testRuns.push(...runs)
    return runs.map((run) => run.id)
  }

  /**
   * @param {Agent} agent @param {Omit<Deployment, 'id' | 'accountId' | 'agentId' | 'createdBy' | 'createdAt'>} fields
   * @param {number} createdAtMs
   */
  #record(agent, { environment, version, artifactVersion, metadata }, createdAtMs) {
    /** @type {Deployment} */
    const deployment = {
      id: uuidLike(createdAtMs),
      accountId: ACCOUNT_ID,
      agentId: agent.id,
      environment,
      artifactVersion,
      version,
      createdBy: CREATED_BY,
      createdAt: new Date(createdAtMs).toISOString(),
      metadata
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

/** Callers get copies, so they cannot change what the emulator remembers. @param {Deployment} deployment */
function copyDeployment(deployment) {
  return { ...deployment, metadata: deployment.metadata ? { ...deployment.metadata } : null }
}

/**
 * As lists show it: the contract allows null metadata only in a mutation's answer (where a recorded
 * rollback had it), so a list leaves it out instead. @param {Deployment} deployment
 */
function listedDeployment(deployment) {
  const { metadata, ...rest } = copyDeployment(deployment)
  return metadata ? { ...rest, metadata } : rest
}
