// Answering a request: every reply the emulator builds is checked against the contract on its way out,
// and an injected fault may answer in its place, before the server acts or after it has.
import { codeForStatus, errorEnvelope } from './errors.js'

/**
 * @typedef {import('./routes.js').RouteResult & { headers?: Record<string, string> }} Reply
 * @typedef {(status: number, code: string, message: string, headers?: Record<string, string>) => Reply} ErrorReply
 * @typedef {{ send: (reply: Reply) => void, errorReply: ErrorReply }} Answer
 * @typedef {import('./faults.js').Fault} Fault
 */

/**
 * How to answer one request.
 * @param {import('node:http').ServerResponse} response
 * @param {{ contract: ReturnType<typeof import('./schema.js').loadContract>, contractViolations: string[],
 *   state: import('./state.js').EmulatorState }} server
 * @param {{ method: string, path: string, correlationId: string, entry: import('./request-log.js').RequestLogEntry }} request
 * @returns {Answer}
 */
export function answerer(response, { contract, contractViolations, state }, { method, path, correlationId, entry }) {
  /** @param {Reply} reply */
  const send = (reply) => {
    if (reply.schema !== undefined) {
      const problems = contract.validate(reply.schema, reply.body)
      if (problems.length > 0) {
        contractViolations.push(`response ${reply.status} to ${method} ${path} fails its schema: ${problems.join('; ')}`)
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
  /** @type {ErrorReply} */
  const errorReply = (status, code, message, headers) =>
    ({ status, body: errorEnvelope(code, message, correlationId), schema: 'Error', headers })
  return { send, errorReply }
}

/**
 * Applies a fault that strikes before the server acts; true when it has dealt with the request.
 * A delay is not one of these: the caller awaits it and goes on.
 * @param {Fault | undefined} fault @param {Answer} answer @param {import('node:net').Socket} socket
 */
export function answeredBeforeActing(fault, { send, errorReply }, socket) {
  switch (fault?.kind) {
    case 'status':
      send(errorReply(fault.status, fault.errorCode ?? codeForStatus(fault.status), `Injected ${fault.status}.`,
        fault.retryAfter === undefined ? undefined : { 'retry-after': fault.retryAfter }))
      return true
    case 'drop':
      socket.destroy()
      return true
    case 'hang':
      return true // the socket stays open until the client gives up or close() destroys it
    case 'redirect':
      send({ status: fault.status ?? 302, body: { location: fault.location }, headers: { location: fault.location } })
      return true
    case 'body':
      send({ status: fault.status ?? 200, body: fault.body, headers: { 'content-type': fault.contentType ?? 'application/json' } })
      return true
    default:
      return false
  }
}

/**
 * Applies a fault that strikes once the server has acted: the change is made, the client never
 * hears of it. True when it has dealt with the request; else the real reply is the caller's to send.
 * @param {Fault | undefined} fault @param {Answer} answer @param {import('node:net').Socket} socket
 */
export function answeredAfterActing(fault, { send, errorReply }, socket) {
  switch (fault?.kind) {
    case 'act-then-status':
      send(errorReply(fault.status, fault.errorCode ?? codeForStatus(fault.status), `Injected ${fault.status} after acting.`,
        fault.retryAfter === undefined ? undefined : { 'retry-after': fault.retryAfter }))
      return true
    case 'act-then-drop':
      socket.destroy()
      return true
    case 'act-then-hang':
      return true
    case 'act-then-body':
      // A proxy or a broken build mangling a success: the change is made, its answer unusable.
      send({ status: fault.status ?? 201, body: fault.body, headers: { 'content-type': fault.contentType ?? 'text/html' } })
      return true
    default:
      return false
  }
}
