import { Config, ENVIRONMENTS, Environment, Operation, OperationConfig, OPERATIONS, REGIONS } from './config.js'
import { InputError } from '../errors.js'
import { GitHubEnv, runUrl } from './run-url.js'
import {
  parseBoolean,
  parseChoice,
  parseDuration,
  parseId,
  parseList,
  parsePositiveInteger
} from './parse.js'

/** Defaults as declared in action.yml; applied here too so a run without the runner behaves the same. */
export const DEFAULTS: Record<string, string> = {
  region: 'us',
  'wait-for-tests': 'true',
  timeout: '30m',
  'poll-interval': '5s',
  'request-timeout': '30s',
  'fail-on-test-failure': 'true',
  'rollback-on-failure': 'false',
  'if-unchanged': 'pass',
  'if-no-tests': 'fail',
  'allow-downgrade': 'false',
  'merge-conflicts': 'fail',
  limit: '20',
  'dry-run': 'false',
  'max-parallel': '4',
  'fail-fast': 'false',
  'github-deployment': 'false',
  'github-environment-prefix': 'polyai-'
}

/**
 * The bounds of the duration inputs, checked before any request. Node fires a timer set past ~24.8
 * days at once (or throws), so an unbounded timeout would end a wait as it starts; a GitHub-hosted job
 * lasts at most 6 h (a self-hosted one 5 days), and an answer 10 minutes late is better called lost.
 * Below 100 ms (what the emulator's tests use) a poll-interval would poll each run as fast as it answers;
 * below a second a request-timeout would abandon answers the API gives in the ordinary way, and an
 * abandoned write's outcome is unknown.
 */
export const DURATION_BOUNDS = {
  timeout: { max: '24h' },
  'poll-interval': { min: '100ms', max: '24h' },
  'request-timeout': { min: '1s', max: '10m' }
} as const

export type InputReader = (name: string) => string
export type { GitHubEnv }

/** Reads and validates every input into one Config, before any request is made. */
export function readConfig(read: InputReader, env: GitHubEnv): Config {
  const input = (name: string): string => read(name).trim() || DEFAULTS[name] || ''
  const required = (name: string): string => {
    const value = input(name)
    if (value === '') throw new InputError(name, 'is required')
    return value
  }

  // The key is sent as a header: a character no header can carry (a curly quote, a space or a line
  // break pasted with it) would fail every request. Its value is never shown.
  if (!/^[\x21-\x7e]+$/.test(required('api-key'))) {
    throw new InputError('api-key', 'must be the key alone, as PolyAI shows it: visible ASCII letters, digits and punctuation, with no spaces, curly quotes or line breaks (its value is not shown here)')
  }
  // A value this short is no workspace key, and one too short to scrub from logs safely.
  if (required('api-key').length < 8) throw new InputError('api-key', 'must be the whole workspace key: at least 8 characters (its value is not shown here)')
  const agentIds = [...new Set(parseList('agent-id', required('agent-id')).map((id) => parseId('agent-id', id)))]
  if (agentIds.length === 0) throw new InputError('agent-id', 'is required')
  const operation = parseChoice('operation', required('operation'), OPERATIONS)
  const givenEnvironment = input('environment')
    ? parseChoice('environment', input('environment'), ENVIRONMENTS)
    : undefined
  const deploymentId = input('deployment-id') ? parseId('deployment-id', input('deployment-id')) : undefined
  const testRunIds = parseList('test-run-ids', input('test-run-ids')).map((id) => parseId('test-run-ids', id))

  const branch = input('branch') ? parseId('branch', input('branch')) : undefined
  const part = operationPart(operation, givenEnvironment, deploymentId, branch)
  const config: Config = {
    agentId: agentIds[0],
    agentIds,
    deploymentId,
    message: input('message') || defaultMessage(env),
    messageGiven: input('message') !== '',
    runId: env.GITHUB_RUN_ID || undefined,
    // The runner's own variable, not an input: anything unreadable is taken as a first attempt.
    runAttempt: Number.parseInt(env.GITHUB_RUN_ATTEMPT ?? '', 10) || 1,
    baseUrl: baseUrlFrom(input('base-url'), input('region')),
    waitForTests: parseBoolean('wait-for-tests', input('wait-for-tests')),
    testRunIds,
    timeoutMs: parseDuration('timeout', input('timeout'), DURATION_BOUNDS.timeout),
    pollIntervalMs: parseDuration('poll-interval', input('poll-interval'), DURATION_BOUNDS['poll-interval']),
    requestTimeoutMs: parseDuration('request-timeout', input('request-timeout'), DURATION_BOUNDS['request-timeout']),
    failOnTestFailure: parseBoolean('fail-on-test-failure', input('fail-on-test-failure')),
    rollbackOnFailure: parseBoolean('rollback-on-failure', input('rollback-on-failure')),
    ifUnchanged: parseChoice('if-unchanged', input('if-unchanged'), ['pass', 'fail'] as const),
    ifNoTests: parseChoice('if-no-tests', input('if-no-tests'), ['fail', 'pass'] as const),
    allowDowngrade: parseBoolean('allow-downgrade', input('allow-downgrade')),
    branch,
    mergeConflicts: parseChoice('merge-conflicts', input('merge-conflicts'), ['fail', 'ours', 'theirs', 'base'] as const),
    limit: parsePositiveInteger('limit', input('limit'), 1000),
    dryRun: parseBoolean('dry-run', input('dry-run')),
    maxParallel: parsePositiveInteger('max-parallel', input('max-parallel'), 50),
    failFast: parseBoolean('fail-fast', input('fail-fast')),
    github: parseBoolean('github-deployment', input('github-deployment')) ? githubSettings(input, env) : undefined,
    ...part
  }
  checkOperationInputs(config)
  checkWaitTimes(config, input)
  return config
}

/** The operation and its environment after the operation's own default and rules. */
function operationPart(
  operation: Operation,
  given: Environment | undefined,
  deploymentId: string | undefined,
  branch: string | undefined
): OperationConfig {
  switch (operation) {
    case 'publish':
      return { operation, environment: given ?? 'sandbox' }
    case 'merge':
      // The platform decides: sandbox, or live on a project with simplified deployments.
      if (given) throw new InputError('environment', 'is not used by merge: the platform decides where a merge lands (sandbox, or live on a project with simplified deployments)')
      // A missing branch is refused with the other contradictions, below.
      return { operation, branch: branch ?? '' }
    case 'release':
      return { operation, environment: given ?? 'live' }
    case 'list':
      if (!given) throw new InputError('environment', 'is required for list: one of sandbox, pre-release, live')
      return { operation, environment: given }
    case 'promote':
      if (!given) throw new InputError('environment', 'is required for promote: the target, pre-release or live')
      if (given === 'sandbox') {
        throw new InputError('environment', 'cannot be sandbox for promote: sandbox is only ever published to')
      }
      return { operation, environment: given }
    case 'rollback':
      if (deploymentId) return { operation, environment: given, deploymentId }
      if (!given) throw new InputError('environment', 'is required for rollback unless deployment-id names the deployment to return to')
      return { operation, environment: given }
    case 'wait':
      if (given) throw new InputError('environment', 'is not used by wait: it waits on the runs test-run-ids names, wherever they run')
      return { operation, environment: undefined }
    default:
      return { operation, environment: given }
  }
}

function checkOperationInputs(config: Config): void {
  const { operation } = config
  if (config.deploymentId && !['promote', 'rollback', 'release'].includes(operation)) {
    throw new InputError('deployment-id', `is only used by promote, rollback and release, not by ${operation}`)
  }
  if (config.deploymentId && config.agentIds.length > 1) {
    throw new InputError('deployment-id', 'names one deployment of one agent, so it cannot be used with several agents')
  }
  if (operation === 'merge' && !config.branch) {
    throw new InputError('branch', 'is required for merge: the Agent Studio branch to merge into main, by name or ID')
  }
  if (config.branch && !['merge', 'release'].includes(operation)) {
    throw new InputError('branch', `is only used by merge and release, not by ${operation}`)
  }
  if (config.branch === 'main') throw new InputError('branch', "cannot be main: main is what the branch is merged into")
  if (config.branch && config.deploymentId) {
    throw new InputError('deployment-id', 'and branch both name where a release starts: give one of them')
  }
  if (operation === 'wait' && !config.waitForTests) {
    throw new InputError('wait-for-tests', 'cannot be false for wait: waiting on the runs is all wait does')
  }
  if (operation === 'wait' && config.testRunIds.length === 0) {
    throw new InputError('test-run-ids', 'is required for wait: a JSON array, or IDs separated by commas or new lines')
  }
  if (operation !== 'wait' && config.testRunIds.length > 0) {
    throw new InputError('test-run-ids', `is only used by wait, not by ${operation}`)
  }
}

/**
 * A poll-interval longer than the timeout. Left at its default (which a runner passes as if given), it
 * is the timeout that is too short: an error about an input the user never set would not say so.
 */
function checkWaitTimes(config: Config, input: (name: string) => string): void {
  if (config.pollIntervalMs <= config.timeoutMs) return
  const pollInterval = input('poll-interval')
  if (pollInterval === DEFAULTS['poll-interval']) {
    // Given or not, a runner passes it the same: say its value, and that it is also the default.
    throw new InputError('timeout', `must be at least poll-interval (${pollInterval}, its default too); got '${input('timeout')}'. For a shorter timeout, set a shorter poll-interval too`)
  }
  throw new InputError('poll-interval', `must not be longer than timeout ('${input('timeout')}'); got '${pollInterval}'`)
}

function githubSettings(input: (name: string) => string, env: GitHubEnv): Config['github'] {
  const token = input('github-token') || env.GITHUB_TOKEN || ''
  if (token === '') throw new InputError('github-token', 'is required when github-deployment is true (the default is the workflow token)')
  const environmentPrefix = input('github-environment-prefix')
  if (!/^[A-Za-z0-9._-]{0,100}$/.test(environmentPrefix)) {
    throw new InputError('github-environment-prefix', `must be letters, digits, '.', '_' or '-'; got '${environmentPrefix}'`)
  }
  if (!/^[^/]+\/[^/]+$/.test(env.GITHUB_REPOSITORY ?? '')) {
    throw new InputError('github-deployment', 'needs GITHUB_REPOSITORY (owner/name), which the runner sets')
  }
  return { token, environmentPrefix }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** base-url wins over region; https only, except loopback hosts for local emulators. */
export function baseUrlFrom(baseUrl: string, region: string): string {
  if (baseUrl === '') return REGIONS[parseChoice('region', region, Object.keys(REGIONS))]
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new InputError('base-url', `must be an absolute URL such as https://api.us.poly.ai; got '${baseUrl}'`)
  }
  if (url.username || url.password) throw new InputError('base-url', 'must not contain credentials')
  // A bare '?' or '#' leaves url.search empty yet would swallow the API path: check the text.
  if (/[?#]/.test(baseUrl)) throw new InputError('base-url', 'must not contain a query or fragment')
  const loopback = LOOPBACK_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError('base-url', 'must use https:// (http:// is allowed only for 127.0.0.1, localhost and [::1])')
  }
  // Every request's path starts /v1/: a base-url ending in it would ask for /v1/v1/… and get 404s.
  if (/\/v1\/*$/i.test(url.pathname)) {
    throw new InputError('base-url', `is the API's root, without /v1 (each request adds it), such as https://api.us.poly.ai; got '${baseUrl}'`)
  }
  return url.href.replace(/\/+$/, '')
}

/** "owner/repo@abc1234 (main): https://github.com/owner/repo/actions/runs/1" from the runner's variables. */
export function defaultMessage(env: GitHubEnv): string {
  const repository = env.GITHUB_REPOSITORY
  if (!repository) return 'Deployed by polyai-release-gate'
  const sha = env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : ''
  const ref = env.GITHUB_REF_NAME || env.GITHUB_REF
  const run = runUrl(env)
  return `${repository}${sha}${ref ? ` (${ref})` : ''}${run ? `: ${run}` : ''}`
}
