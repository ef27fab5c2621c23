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
        hintFor(status)
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

function hintFor(status: number): string {
  if (status === 401) return '. Check that api-key is a valid workspace API key for this region.'
  if (status === 403) return '. The API key is not allowed to do this for this agent.'
  if (status === 404) return '. Check agent-id, deployment-id and region.'
  if (status >= 500) return '. The PolyAI API had a problem; try again later.'
  return ''
}
