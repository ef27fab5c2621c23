import type { Deployment } from '../api/shapes.js'
import type { GitHubSettings } from '../config/config.js'
import { GitHubEnv, runUrl } from '../config/run-url.js'
import type { Log } from '../step/log.js'

/**
 * Mirrors each publish, promote and rollback as a GitHub Deployment, so the repository's
 * Environments page shows what runs where: `in_progress` while the tests run, then `success` or
 * `failure`. Secondary to the gate: a GitHub error is a warning, never the step's verdict.
 */

export type MirrorState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

type Octokit = Awaited<ReturnType<typeof loadOctokit>>

/** The longest a GitHub call may take: the mirror must not hold the gate or its report. */
const CALL_TIMEOUT_MS = 10_000
/** Once the run is cancelled, how long a GitHub call may still take: the runner's SIGTERM follows within seconds. */
const AFTER_CANCEL_MS = 1500

async function loadOctokit(token: string) {
  // Loaded only when asked for: Octokit is a large part of the bundle and most steps never need it.
  const { getOctokit } = await import('@actions/github')
  return getOctokit(token)
}

export class GitHubMirror {
  private octokit?: Promise<Octokit>
  private readonly owner: string
  private readonly repo: string
  /** Aborts AFTER_CANCEL_MS after the run's cancel. */
  private readonly cancelled = new AbortController()
  /** The GitHub environment of each deployment created, for its statuses. */
  private readonly environments = new Map<number, string>()

  /** `fleet`: several agents, each in GitHub environments of its own. */
  constructor(
    private readonly settings: GitHubSettings,
    private readonly env: GitHubEnv,
    private readonly log: Log,
    cancel: AbortSignal,
    private readonly fleet = false
  ) {
    ;[this.owner, this.repo] = (env.GITHUB_REPOSITORY ?? '/').split('/')
    const endSoon = (): void => void setTimeout(() => this.cancelled.abort(), AFTER_CANCEL_MS).unref()
    if (cancel.aborted) endSoon()
    else cancel.addEventListener('abort', endSoon, { once: true })
  }

  /** What ends a GitHub call: its own time limit, or the end of the grace after a cancel. */
  private limit(): { signal: AbortSignal } {
    return { signal: AbortSignal.any([AbortSignal.timeout(CALL_TIMEOUT_MS), this.cancelled.signal]) }
  }

  /** Creates the GitHub deployment and marks it in progress; undefined when GitHub refused. */
  async started(agentId: string, deployment: Deployment, description: string): Promise<number | undefined> {
    try {
      const octokit = await (this.octokit ??= loadOctokit(this.settings.token))
      const environment = this.environmentName(deployment.environment, agentId)
      const created = await octokit.rest.repos.createDeployment({
        owner: this.owner,
        repo: this.repo,
        ref: this.env.GITHUB_SHA || this.env.GITHUB_REF || 'HEAD',
        environment,
        description: description.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        production_environment: deployment.environment === 'live',
        transient_environment: false,
        payload: { polyaiAgentId: agentId, polyaiDeploymentId: deployment.id, polyaiVersion: deployment.version },
        request: this.limit()
      })
      const id = 'id' in created.data ? created.data.id : undefined
      if (id === undefined) throw new Error(`GitHub did not create the deployment (HTTP ${created.status})`)
      this.environments.set(id, environment)
      await this.status(id, 'in_progress', 'Waiting for the PolyAI test runs')
      return id
    } catch (error) {
      this.warn(error)
      return undefined
    }
  }

  async finished(id: number | undefined, state: MirrorState, description: string): Promise<void> {
    if (id === undefined) return
    try {
      await this.status(id, state, description)
    } catch (error) {
      this.warn(error)
    }
  }

  /**
   * polyai-live, or for a fleet polyai-live-<agent>: one agent's deployment marks only that agent's
   * earlier ones inactive, so the Environments page shows what each agent runs.
   */
  environmentName(environment: string, agentId: string): string {
    return `${this.settings.environmentPrefix}${environment}${this.fleet ? `-${agentId}` : ''}`
  }

  private async status(id: number, state: MirrorState, description: string): Promise<void> {
    const octokit = await this.octokit!
    const log = runUrl(this.env)
    await octokit.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: id,
      state,
      description: description.slice(0, 140),
      environment: this.environments.get(id),
      auto_inactive: true,
      ...(log ? { log_url: log } : {}),
      request: this.limit()
    })
  }

  private warn(error: unknown): void {
    const status = (error as { status?: number }).status
    const hint = status === 403 || status === 404 ? ' (the token needs `permissions: deployments: write`)' : ''
    this.log.warning(`GitHub deployment not mirrored: ${error instanceof Error ? error.message : String(error)}${hint}`)
  }
}
