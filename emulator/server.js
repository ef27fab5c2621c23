// The emulator's HTTP server on loopback: logs every request, applies rate limits and injected
// faults, checks auth, routes, and checks every answer it builds against the contract.
// The pieces live beside it: request-log.js, answering.js, traffic.js, public-handle.js.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { answeredAfterActing, answeredBeforeActing, answerer } from './answering.js'
import { MergeConflict } from './branches.js'
import { ApiError, codeForStatus } from './errors.js'
import { FaultQueue } from './faults.js'
import { publicHandle } from './public-handle.js'
import { RequestLog } from './request-log.js'
import { findHandler } from './routes.js'
import { loadContract } from './schema.js'
import { EmulatorState } from './state.js'
import { Traffic } from './traffic.js'

/**
 * @typedef {import('./answering.js').Reply} Reply
 * @typedef {import('./request-log.js').RequestLogEntry} RequestLogEntry
 * @typedef {{ port?: number, host?: string, apiKey?: string,
 *   agents?: Record<string, import('./state.js').AgentOptions>, rateLimit?: { perSecond: number },
 *   clockOffsetMs?: number }} EmulatorOptions
 * @typedef {{ apiKey: string, contract: ReturnType<typeof loadContract>, state: EmulatorState, faults: FaultQueue,
 *   traffic: Traffic, log: RequestLog, contractViolations: string[] }} ServerParts what every request is handled with
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
  const traffic = new Traffic(rateLimit)
  /** @type {ServerParts} */
  const parts = { apiKey, contract, state, faults, traffic, log: new RequestLog(() => state.now()), contractViolations: [] }

  const server = createServer((request, response) => {
    traffic.opened(response)
    handle(parts, request, response).catch(() => request.socket.destroy())
  })
  server.on('connection', (socket) => traffic.connected(socket))
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
  /** @param {number} ms */
  const setClockOffset = (ms) => {
    clockOffsetMs = ms
  }
  return publicHandle({ url, server, ...parts, setClockOffset })
}

/**
 * One request, in order: log it, the rate limit, a fault before acting, act, a fault after acting, answer.
 * @param {ServerParts} parts
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 */
async function handle(parts, request, response) {
  const rawBody = await readRawBody(request)
  const url = new URL(request.url ?? '/', 'http://emulator')
  const method = request.method ?? 'GET'
  const correlationId = singleHeader(request, 'x-polyai-correlation-id') ?? randomUUID()
  const entry = parts.log.arrived(request, method, url, rawBody)
  const answer = answerer(response, parts, { method, path: url.pathname, correlationId, entry })

  if (!parts.traffic.admit()) {
    return answer.send(answer.errorReply(429, 'RATE_LIMITED', 'Too many requests.', { 'retry-after': '1' }))
  }
  // Taken after the rate limit: a throttled request uses up no fault.
  const fault = parts.faults.take(method, url.pathname)
  if (fault?.kind === 'delay') await parts.traffic.sleep(fault.ms)
  else if (fault?.kind === 'status-then-act') {
    // The client hears the gateway give up; the change lands later all the same.
    answer.send(answer.errorReply(fault.status, codeForStatus(fault.status), `Injected ${fault.status}; acting in ${fault.afterMs} ms.`))
    await parts.traffic.sleep(fault.afterMs)
    act(parts, request, method, url, rawBody, entry, answer.errorReply)
    return parts.log.acted(entry)
  } else if (answeredBeforeActing(fault, answer, request.socket)) return

  const reply = act(parts, request, method, url, rawBody, entry, answer.errorReply)
  parts.log.acted(entry)
  if (!answeredAfterActing(fault, answer, request.socket)) answer.send(reply)
}

/**
 * Performs the request for real: auth, routing, the handler.
 * @param {ServerParts} parts
 * @param {import('node:http').IncomingMessage} request @param {string} method @param {URL} url
 * @param {string} rawBody @param {RequestLogEntry} entry
 * @param {import('./answering.js').ErrorReply} errorReply
 * @returns {Reply}
 */
function act({ apiKey, state, contract, contractViolations }, request, method, url, rawBody, entry, errorReply) {
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
