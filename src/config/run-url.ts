/** The runner's environment variables, as the action reads them. */
export type GitHubEnv = Record<string, string | undefined>

/** The link to this workflow run, from the runner's variables; undefined outside a runner. */
export function runUrl(env: GitHubEnv): string | undefined {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${encodeURIComponent(env.GITHUB_RUN_ID)}`
}
