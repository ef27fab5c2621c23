/** Expected failures: each is reported as one clear line, never with a stack trace. */

/** An input that is missing, malformed or contradicts another; raised before any request. */
export class InputError extends Error {
  constructor(input: string, problem: string) {
    super(`Input '${input}' ${problem}`)
    this.name = 'InputError'
  }
}

/** The API answered with an error, or with something the action cannot use. */
export class ApiError extends Error {
  /** From Retry-After, when the server gave one. */
  retryAfterMs?: number
  /** The parsed answer, for the answers that carry more than the envelope (a merge's conflicts). */
  body?: unknown

  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly apiMessage: string,
    readonly correlationId: string,
    readonly request: string
  ) {
    super(
      `${request} failed: HTTP ${status}` +
        (errorCode ? ` ${errorCode}` : '') +
        (apiMessage ? `: ${apiMessage}` : '') +
        ` (correlation id ${correlationId})` +
        hintFor(status, errorCode)
    )
    this.name = 'ApiError'
  }
}

/** The request never got an HTTP answer (refused, reset, timed out). */
export class TransportError extends Error {
  constructor(
    readonly request: string,
    readonly reason: string,
    /** 'unsent': surely not acted on; 'dropped': sent, answer lost; 'timeout': our own timeout. */
    readonly phase: 'unsent' | 'dropped' | 'timeout',
    readonly correlationId: string
  ) {
    super(`${request} failed: ${reason} (correlation id ${correlationId})`)
    this.name = 'TransportError'
  }
}

/** The workflow was cancelled while the action was working. */
export class CancelledError extends Error {
  constructor() {
    super('The run was cancelled')
    this.name = 'CancelledError'
  }
}

/** A domain rule stopped the operation (nothing to roll back to, unknown outcome, …). */
export class OperationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OperationError'
  }
}

/**
 * A write whose outcome cannot be known: reported as a failure even when the step is cancelled, as a
 * change may have been made. `what` says what happened to it; the message adds what to do.
 */
export class UnknownOutcomeError extends OperationError {
  constructor(what: string) {
    super(`${what} Check the agent's deployments before running this step again.`)
    this.name = 'UnknownOutcomeError'
  }
}

/** A failure the action expected and explains itself: no stack trace is printed for it. */
export function isExpected(error: unknown): error is Error {
  return (
    error instanceof InputError ||
    error instanceof ApiError ||
    error instanceof TransportError ||
    error instanceof CancelledError ||
    error instanceof OperationError
  )
}

/** What to do, where it is known: by error code first, then by status. */
const HINT_BY_CODE: Record<string, string> = {
  FUNCTIONS_DEPLOYMENT_HAS_ERRORS: ". The agent's functions do not build: fix the errors in its function code in Agent Studio, then deploy again.",
  ErrPreReleaseNotReady: '. Promote this version to pre-release first (and let its tests pass there), then to live.',
  NoTestCasesHttp: '. The project has no test cases, so nothing can gate it: add test cases in Agent Studio.',
  MissingTestCasesHttp: '. Some test cases the project names no longer exist: check its test set in Agent Studio.'
}

function hintFor(status: number, errorCode: string): string {
  if (HINT_BY_CODE[errorCode]) return HINT_BY_CODE[errorCode]
  if (status === 401) {
    return '. Check that api-key is a valid workspace API key, and that region (or base-url) is the one the key belongs to: a key of another region is refused with 401.'
  }
  if (status === 403) return '. The API key is not allowed to do this for this agent.'
  if (status === 404) return '. Check agent-id, deployment-id and region.'
  if (status === 429) return ". The PolyAI API is limiting this key's requests; run fewer agents at once (max-parallel), or try again later."
  if (status >= 500) return '. The PolyAI API had a problem; try again later.'
  return ''
}
