// The emulator's HTTP server on loopback: logs every request, applies rate limits and injected
// faults, checks auth, routes, and checks every answer it builds against the contract.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { MergeConflict } from './branches.js'
import { ApiError, codeForStatus, errorEnvelope } from './errors.js'
import { FaultQueue, RateLimiter } from './faults.js'
import { findHandler } from './routes.js'
import { loadContract } from './schema.js'
import { EmulatorState } from './state.js'

/**
 * @typedef {import('./routes.js').RouteResult & { headers?: Record<string, string> }} Reply
 * @typedef {{ method: string, path: string, query: Record<string, string>, body: unknown, status: number | null,
 *   headers: Record<string, string | string[] | undefined>, at: number, serverAt: number, agentId?: string,
 *   createdDeploymentId?: string }} RequestLogEntry
 * @typedef {{ port?: number, host?: string, apiKey?: string,
 *   agents?: Record<string, import('./state.js').AgentOptions>, rateLimit?: { perSecond: number },
 *   clockOffsetMs?: number }} EmulatorOptions
 */

/**
 * Starts the emulated PolyAI Agents API.
 * @param {EmulatorOptions} [options]
 */
export async function startEmulator(options = {}) {
  const { port = 0, host = '127.0.0.1', apiKey = 'test-api-key', agents = {}, rateLimit } = options
  const contract = loadContract()
  // The server's clock may differ from the runner's: every timestamp the API gives follows this one.
  let clockOffsetMs = options.clockOffsetMs ?? 0
  const state = new EmulatorState(agents, () => Date.now() + clockOffsetMs)
  const faults = new FaultQueue()
  const newLimiter = () => (rateLimit ? new RateLimiter(rateLimit.perSecond) : undefined)
  let limiter = newLimiter()
  let throttled = 0
  let inFlight = 0
  let mostInFlight = 0
  /** @type {RequestLogEntry[]} */
  const requests = []
  /** @type {string[]} */
  const contractViolations = []
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set()
  /** @type {Set<NodeJS.Timeout>} */
  const delayTimers = new Set()
  /** @type {Set<(entry: RequestLogEntry, phase: 'arrived' | 'acted') => void>} */
  const observers = new Set()
  /** @param {RequestLogEntry} entry @param {'arrived' | 'acted'} phase */
  const notify = (entry, phase) => {
    for (const observer of observers) observer(entry, phase)
  }

  /** @param {number} ms */
  const sleep = (ms) => new Promise((resolve) => {
    const timer = setTimeout(() => {
      delayTimers.delete(timer)
      resolve(undefined)
    }, ms)
    delayTimers.add(timer)
  })

  /**
   * @param {import('node:http').IncomingMessage} request
   * @param {import('node:http').ServerResponse} response
   */
  async function handle(request, response) {
    const rawBody = await readRawBody(request)
    const url = new URL(request.url ?? '/', 'http://emulator')
    const method = request.method ?? 'GET'
    const correlationId = singleHeader(request, 'x-polyai-correlation-id') ?? randomUUID()
    /** @type {RequestLogEntry} */
    const entry = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parseForLog(rawBody),
      status: null,
      headers: redactedHeaders(request.headers),
      at: Date.now(),
      serverAt: state.now()
    }
    requests.push(entry)
    notify(entry, 'arrived')

    /** @param {Reply} reply */
    const send = (reply) => {
      if (reply.schema !== undefined) {
        const problems = contract.validate(reply.schema, reply.body)
        if (problems.length > 0) {
          contractViolations.push(`response ${reply.status} to ${method} ${url.pathname} fails its schema: ${problems.join('; ')}`)
        }
      }
      entry.status = reply.status
      response.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-polyai-correlation-id': correlationId,
        // The server's own clock, as recorded answers carry it: a client can tell how far it is from its own.
        date: new Date(state.now()).toUTCString(),
        ...reply.headers
      })
      response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body))
    }
    /** @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] */
    const errorReply = (status, code, message, headers) =>
      ({ status, body: errorEnvelope(code, message, correlationId), schema: 'Error', headers })

    if (limiter !== undefined && !limiter.allow(Date.now())) {
      throttled += 1
      return send(errorReply(429, 'RATE_LIMITED', 'Too many requests.', { 'retry-after': '1' }))
    }
    const fault = faults.take(method, url.pathname)
    switch (fault?.kind) {
      case 'delay':
        await sleep(fault.ms)
        break
      case 'status':
        return send(errorReply(fault.status, fault.errorCode ?? codeForStatus(fault.status), `Injected ${fault.status}.`,
          fault.retryAfter === undefined ? undefined : { 'retry-after': fault.retryAfter }))
      case 'drop':
        return request.socket.destroy()
      case 'hang':
        return // the socket stays open until the client gives up or close() destroys it
      case 'redirect':
        return send({ status: fault.status ?? 302, body: { location: fault.location }, headers: { location: fault.location } })
      case 'body':
        return send({
          status: fault.status ?? 200,
          body: fault.body,
          headers: { 'content-type': fault.contentType ?? 'application/json' }
        })
    }

    const reply = act(request, method, url, rawBody, entry, errorReply)
    notify(entry, 'acted')
    switch (fault?.kind) {
      case 'act-then-status':
        return send(errorReply(fault.status, fault.errorCode ?? codeForStatus(fault.status), `Injected ${fault.status} after acting.`))
      case 'act-then-drop':
        return request.socket.destroy()
      case 'act-then-hang':
        return
      default:
        return send(reply)
    }
  }

  /**
   * Performs the request for real: auth, routing, the handler.
   * @param {import('node:http').IncomingMessage} request @param {string} method @param {URL} url
   * @param {string} rawBody @param {RequestLogEntry} entry
   * @param {(status: number, code: string, message: string, headers?: Record<string, string>) => Reply} errorReply
   * @returns {Reply}
   */
  function act(request, method, url, rawBody, entry, errorReply) {
    try {
      if (singleHeader(request, 'x-api-key') !== apiKey) {
        throw new ApiError(401, 'UNAUTHORIZED', 'Missing or invalid API key.')
      }
      const { handler, params } = findHandler(method, url.pathname)
      entry.agentId = params.agentId
      const reply = handler({
        state,
        contract,
        params,
        query: entry.query,
        rawBody,
        recordViolation: (message) => contractViolations.push(`${method} ${url.pathname}: ${message}`)
      })
      entry.createdDeploymentId = reply.createdDeploymentId
      return reply
    } catch (error) {
      if (error instanceof MergeConflict) return { status: 400, body: error.body, schema: 'MergeBranchConflictResponse' }
      if (error instanceof ApiError) return errorReply(error.status, error.code, error.message, error.headers)
      // An emulator bug: answer like a server would, and make the tests notice.
      contractViolations.push(`emulator error on ${method} ${url.pathname}: ${error instanceof Error ? error.stack : String(error)}`)
      return errorReply(500, 'INTERNAL_SERVER_ERROR', 'The emulator failed to handle this request.')
    }
  }

  const server = createServer((request, response) => {
    inFlight += 1
    mostInFlight = Math.max(mostInFlight, inFlight)
    response.on('close', () => (inFlight -= 1))
    handle(request, response).catch(() => request.socket.destroy())
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    requests,
    contractViolations,
    get throttled() {
      return throttled
    },
    /** The most requests that were open at the same moment: a client's concurrency, seen from the server. */
    get mostInFlight() {
      return mostInFlight
    },
    /** @param {string} [agentId] the POST requests that created a deployment */
    writes: (agentId) => requests.filter((entry) =>
      entry.createdDeploymentId !== undefined && (agentId === undefined || entry.agentId === agentId)),
    /** @param {string} agentId @param {import('./state.js').AgentOptions} agentOptions */
    configureAgent: (agentId, agentOptions) => state.configureAgent(agentId, agentOptions),
    /** @param {string} agentId @param {string} version */
    setDraft: (agentId, version) => state.setDraft(agentId, version),
    /** @type {EmulatorState['seedDeployment']} */
    seedDeployment: (agentId, environment, fields) => state.seedDeployment(agentId, environment, fields),
    /** @type {EmulatorState['addBranch']} */
    addBranch: (agentId, name, fields) => state.addBranch(agentId, name, fields),
    /** @param {string} agentId */
    branches: (agentId) => state.branches(agentId),
    /** @type {EmulatorState['seedTestRuns']} */
    seedTestRuns: (agentId, environment, startedAt) => state.seedTestRuns(agentId, environment, startedAt),
    /** The server's clock, in ms. */
    now: () => state.now(),
    /** Moves the server's clock against the runner's. @param {number} ms */
    setClockOffset: (ms) => {
      clockOffsetMs = ms
    },
    /** @param {string} agentId @param {string} [environment] */
    deployments: (agentId, environment) => state.deployments(agentId, environment),
    /** @param {string} agentId */
    active: (agentId) => state.active(agentId),
    /** @param {string} agentId @param {string} runId */
    testRun: (agentId, runId) => state.testRun(agentId, runId),
    /** @param {string} agentId @param {string} runId */
    runFinishesAt: (agentId, runId) => state.runFinishesAt(agentId, runId),
    /**
     * Calls `observer` as each request arrives and again once the server has acted on it (before
     * any answer): where a test kills the client at a chosen moment. Returns a function that stops it.
     * @param {(entry: RequestLogEntry, phase: 'arrived' | 'acted') => void} observer
     */
    observe: (observer) => {
      observers.add(observer)
      return () => observers.delete(observer)
    },
    /** @param {import('./faults.js').Fault} fault */
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    reset() {
      state.reset()
      faults.clear()
      limiter = newLimiter()
      throttled = 0
      mostInFlight = inFlight
      requests.length = 0
      contractViolations.length = 0
    },
    /** Stops listening and destroys every open socket, hung ones included. @returns {Promise<void>} */
    close() {
      for (const timer of delayTimers) clearTimeout(timer)
      delayTimers.clear()
      return new Promise((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    }
  }
}

/** @param {import('node:http').IncomingMessage} request @returns {Promise<string>} */
function readRawBody(request) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/** @param {import('node:http').IncomingMessage} request @param {string} name lowercased */
function singleHeader(request, name) {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
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
