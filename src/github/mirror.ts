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

async function loadOctokit(token: string) {
  // Loaded only when asked for: Octokit is a large part of the bundle and most steps never need it.
  const { getOctokit } = await import('@actions/github')
  return getOctokit(token)
}

export class GitHubMirror {
  private octokit?: Promise<Octokit>
  private readonly owner: string
  private readonly repo: string

  constructor(
    private readonly settings: GitHubSettings,
    private readonly env: GitHubEnv,
    private readonly log: Log
  ) {
    ;[this.owner, this.repo] = (env.GITHUB_REPOSITORY ?? '/').split('/')
  }

  /** Creates the GitHub deployment and marks it in progress; undefined when GitHub refused. */
  async started(agentId: string, deployment: Deployment, description: string): Promise<number | undefined> {
    try {
      const octokit = await (this.octokit ??= loadOctokit(this.settings.token))
      const created = await octokit.rest.repos.createDeployment({
        owner: this.owner,
        repo: this.repo,
        ref: this.env.GITHUB_SHA || this.env.GITHUB_REF || 'HEAD',
        environment: this.environmentName(deployment.environment),
        description: description.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        production_environment: deployment.environment === 'live',
        transient_environment: false,
        payload: { polyaiAgentId: agentId, polyaiDeploymentId: deployment.id, polyaiVersion: deployment.version }
      })
      const id = 'id' in created.data ? created.data.id : undefined
      if (id === undefined) throw new Error(`GitHub did not create the deployment (HTTP ${created.status})`)
      await this.status(id, deployment.environment, 'in_progress', 'Waiting for the PolyAI test runs')
      return id
    } catch (error) {
      this.warn(error)
      return undefined
    }
  }

  async finished(id: number | undefined, environment: string, state: MirrorState, description: string): Promise<void> {
    if (id === undefined) return
    try {
      await this.status(id, environment, state, description)
    } catch (error) {
      this.warn(error)
    }
  }

  environmentName(environment: string): string {
    return `${this.settings.environmentPrefix}${environment}`
  }

  private async status(id: number, environment: string, state: MirrorState, description: string): Promise<void> {
    const octokit = await this.octokit!
    const log = runUrl(this.env)
    await octokit.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: id,
      state,
      description: description.slice(0, 140),
      environment: this.environmentName(environment),
      auto_inactive: true,
      ...(log ? { log_url: log } : {})
    })
  }

  private warn(error: unknown): void {
    const status = (error as { status?: number }).status
    const hint = status === 403 || status === 404 ? ' (the token needs `permissions: deployments: write`)' : ''
    this.log.warning(`GitHub deployment not mirrored: ${error instanceof Error ? error.message : String(error)}${hint}`)
  }
}
