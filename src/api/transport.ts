import type * as http from 'node:http'
import { ApiError, TransportError } from '../errors.js'

/** One HTTP exchange, with no retries: the answer, or a TransportError that says how far it got. */

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
}

export interface Exchange {
  method: 'GET' | 'POST'
  url: URL
  headers: Record<string, string>
  body?: string
  /** http.request or https.request, whichever the URL needs. */
  send: typeof http.request
  agent: http.Agent
  timeoutMs: number
  maxBodyBytes: number
  /** Aborted on cancellation. */
  signal: AbortSignal
  /** Named in errors: "POST /v1/agents/a/deployments/publish". */
  label: string
  correlationId: string
}

// Errors raised before the request reached the server: it surely did not act on it.
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
/** How the tunnel agent of @actions/http-client reports a CONNECT the proxy refused. */
const TUNNEL_REFUSED = /^tunneling socket could not be established/

export function exchange(request: Exchange): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let settled = false
    let outgoing: ReturnType<Exchange['send']> | undefined
    const rejectWith = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.signal.removeEventListener('abort', onAbort)
      outgoing?.destroy()
      reject(error)
    }
    const fail = (reason: string, phase: TransportError['phase']): void =>
      rejectWith(new TransportError(request.label, reason, phase, request.correlationId))
    const onAbort = (): void => fail('cancelled', 'dropped')

    try {
      outgoing = request.send(request.url, {
        method: request.method,
        headers: request.headers,
        agent: request.agent
      })
    } catch (error) {
      // A request Node will not build (a header it cannot carry) never left: no timer to clear yet.
      settled = true
      return reject(new TransportError(request.label, (error as Error).message, 'unsent', request.correlationId))
    }
    const timer = setTimeout(() => fail(`no answer within ${request.timeoutMs / 1000}s (request-timeout)`, 'timeout'), request.timeoutMs)
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? ''
      const reason = `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`
      // A proxy that refused the tunnel (a 407, a bad address) never passed the request on.
      if (TUNNEL_REFUSED.test(error.message)) return fail(`${reason}: the proxy refused to connect (check HTTPS_PROXY, its address and credentials)`, 'unsent')
      // Refused or unresolved: it never reached the API, so the address or the network is at fault.
      if (UNSENT_CODES.has(code)) return fail(`${reason}: the request never reached the API (check region or base-url, the runner's network, and HTTPS_PROXY where a proxy is needed)`, 'unsent')
      fail(reason, 'dropped')
    })
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = []
      let size = 0
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > request.maxBodyBytes) {
          // Not a transient failure: asking again brings the same answer.
          const message = `the answer was larger than ${request.maxBodyBytes} bytes`
          return rejectWith(new ApiError(incoming.statusCode ?? 0, 'RESPONSE_TOO_LARGE', message, request.correlationId, request.label))
        }
        chunks.push(chunk)
      })
      incoming.on('error', (error) => fail(error.message, 'dropped'))
      incoming.on('aborted', () => fail('the connection closed mid-answer', 'dropped'))
      incoming.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        request.signal.removeEventListener('abort', onAbort)
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') })
      })
    })

    if (request.signal.aborted) return onAbort()
    request.signal.addEventListener('abort', onAbort, { once: true })
    outgoing.end(request.body)
  })
}
