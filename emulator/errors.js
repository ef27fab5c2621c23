// PolyAI's error envelope, and the error type handlers throw to produce one.

/** An error the API answers with its envelope. */
export class ApiError extends Error {
  /**
   * @param {number} status @param {string} code @param {string} message
   * @param {Record<string, string>} [headers] extra response headers
   */
  constructor(status, code, message, headers = {}) {
    super(message)
    this.status = status
    this.code = code
    this.headers = headers
  }
}

/** Error codes for statuses that faults and the server produce without naming one. */
const CODE_BY_STATUS = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT'
}

/** @param {number} status */
export function codeForStatus(status) {
  return CODE_BY_STATUS[/** @type {keyof typeof CODE_BY_STATUS} */ (status)] ?? `HTTP_${status}`
}

/**
 * The envelope exactly as PolyAI documents it.
 * @param {string} code @param {string} message @param {string} correlationId
 */
export function errorEnvelope(code, message, correlationId) {
  return {
    success: false,
    error: message,
    error_id: correlationId,
    error_code: code,
    error_message: message,
    data: null
  }
}
