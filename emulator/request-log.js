// The log of every request the server received, as tests read it: the API key redacted, and observers
// told as each request arrives and again once the server has acted on it (a test's moment to kill a client).

/**
 * @typedef {{ method: string, path: string, query: Record<string, string>, body: unknown, status: number | null,
 *   headers: Record<string, string | string[] | undefined>, at: number, serverAt: number, agentId?: string,
 *   createdDeploymentId?: string }} RequestLogEntry
 * @typedef {(entry: RequestLogEntry, phase: 'arrived' | 'acted') => void} Observer
 */

export class RequestLog {
  /** Oldest first. One array for the server's whole life: tests hold on to it across reset(). @type {RequestLogEntry[]} */
  entries = []
  /** @type {Set<Observer>} */
  #observers = new Set()
  #serverNow

  /** @param {() => number} serverNow the server's clock, in ms */
  constructor(serverNow) {
    this.#serverNow = serverNow
  }

  /**
   * Logs a request as it arrives and tells the observers; the server fills in the rest as it goes.
   * @param {import('node:http').IncomingMessage} request @param {string} method @param {URL} url @param {string} rawBody
   * @returns {RequestLogEntry}
   */
  arrived(request, method, url, rawBody) {
    /** @type {RequestLogEntry} */
    const entry = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseForLog(rawBody),
      status: null,
      headers: redactedHeaders(request.headers),
      at: Date.now(),
      serverAt: this.#serverNow()
    }
    this.entries.push(entry)
    this.#notify(entry, 'arrived')
    return entry
  }

  /**
   * Tells the observers the server has acted on the request, before any answer goes out. `serverAt`
   * becomes the moment it acted: what the answer shows, should the clock have moved since arrival.
   * @param {RequestLogEntry} entry
   */
  acted(entry) {
    entry.serverAt = this.#serverNow()
    this.#notify(entry, 'acted')
  }

  /** @param {Observer} observer @returns {() => boolean} stops it */
  observe(observer) {
    this.#observers.add(observer)
    return () => this.#observers.delete(observer)
  }

  /** The POST requests that created a deployment, whatever they were answered. @param {string} [agentId] */
  writes(agentId) {
    return this.entries.filter((entry) =>
      entry.createdDeploymentId !== undefined && (agentId === undefined || entry.agentId === agentId))
  }

  /** Empties the log in place; observers stay. */
  clear() {
    this.entries.length = 0
  }

  /** @param {RequestLogEntry} entry @param {'arrived' | 'acted'} phase */
  #notify(entry, phase) {
    for (const observer of this.#observers) observer(entry, phase)
  }
}

/** The body as JSON when it parses, else the raw text; null when there is none. @param {string} rawBody */
function parseForLog(rawBody) {
  if (rawBody === '') return null
  try {
    return JSON.parse(rawBody)
  } catch {
    return rawBody
  }
}

/** The key must never land in a log or a test's failure output. @param {import('node:http').IncomingHttpHeaders} headers */
function redactedHeaders(headers) {
  const copy = { ...headers }
  if (copy['x-api-key'] !== undefined) copy['x-api-key'] = '<redacted>'
  return copy
}
