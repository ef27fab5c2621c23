import * as http from 'node:http'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { ApiError, CancelledError, TransportError, UnknownOutcomeError } from '../errors.js'
import { uuid } from './correlation-id.js'
import { sleep } from '../time/sleep.js'
import { Pacing } from './pacing.js'
import { Semaphore } from './semaphore.js'
import { backoffMs, RETRYABLE_STATUSES, retryAfterMs } from './retry.js'
import { exchange, RawResponse } from './transport.js'
import { redact } from './redact.js'

/** The one HTTP client: key header, correlation ids, timeouts, retries, redirects refused, a shared rate-limit pause. */

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  requestTimeoutMs: number
  /** Ends reads, polls and waits: the workflow was cancelled. */
  signal: AbortSignal
  /**
   * Ends writes in flight. A write cut off midway leaves its outcome unknown, so a first cancel
   * lets it finish, and only a second signal abandons it. Defaults to `signal`.
   */
  writeSignal?: AbortSignal
  debug?: (message: string) => void
  backoffBaseMs?: number
  backoffCapMs?: number
}

export interface Answer {
  status: number
  body: unknown
  correlationId: string
  /** How far the server's clock is ahead of ours (negative: behind), from its Date header, when it sent one. */
  serverAheadMs?: number
}

export interface CallOptions {
  query?: Record<string, string | number | undefined>
  /** Tries for this call; reads default to MAX_TRIES. */
  tries?: number
  /** Replaces the client's own signal for this call (the caller combines them). */
  signal?: AbortSignal
}

const USER_AGENT = 'polyai-release-gate'
const MAX_TRIES = 5
/** Requests in flight at once: enough for a fleet's polls, few enough to be a good neighbour. */
const MAX_IN_FLIGHT = 8
/** An answer larger than this is refused: no answer the action reads comes near it. */
const MAX_BODY_BYTES = 8 * 1024 * 1024
const MAX_SERVER_WAIT_MS = 5 * 60_000

export class ApiClient {
  private readonly connection: Promise<Connection>
  private readonly pacing = new Pacing()
  /** Requests in flight at once. */
  readonly turns: Semaphore
  readonly stats = { requests: 0, retries: 0, throttled: 0 }

  constructor(private readonly options: ClientOptions) {
    this.connection = connectionFor(new URL(options.baseUrl))
    this.turns = new Semaphore(MAX_IN_FLIGHT)
  }

  /** A read: retried on network errors, timeouts, 429 and 5xx, honouring Retry-After. */
  get(path: string, call: CallOptions = {}): Promise<Answer> {
    return this.withRetries('GET', path, undefined, call)
  }

  /**
   * A write, sent again only where the server surely did not act on it: a request that never left,
   * and a 429 (refused by the rate limit). Every other failure goes back to the caller to reconcile,
   * and once the step is cancelled nothing is sent again.
   */
  post(path: string, body: object, call: CallOptions = {}): Promise<Answer> {
    return this.withRetries('POST', path, JSON.stringify(body), { signal: this.options.writeSignal, ...call })
  }

  private async withRetries(method: 'GET' | 'POST', path: string, body: string | undefined, call: CallOptions): Promise<Answer> {
    const tries = call.tries ?? MAX_TRIES
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(method, path, body, call)
      } catch (error) {
        const wait = this.retryWait(error, attempt, tries, call, method === 'GET')
        if (wait === undefined) throw error
        this.stats.retries++
        this.options.debug?.(`Sending ${method} ${path} again in ${wait} ms: ${(error as Error).message}`)
        // A cancel during the pause stops the resend, even of a write: only a write in flight is let finish.
        await sleep(wait, method === 'GET' ? (call.signal ?? this.options.signal) : this.options.signal)
      }
    }
  }

  /** What ends a write in flight: reading the state after a write's lost answer must outlive a first cancel too. */
  get writeSignal(): AbortSignal {
    return this.options.writeSignal ?? this.options.signal
  }

  close(): void {
    void this.connection.then((connection) => connection.dispose())
  }

  /** How long to wait before the next try, or undefined when this error is final. */
  private retryWait(error: unknown, attempt: number, tries: number, call: CallOptions, idempotent: boolean): number | undefined {
    if (error instanceof CancelledError || this.options.signal.aborted || call.signal?.aborted) return undefined
    if (attempt + 1 >= tries) return undefined
    let serverWait: number | undefined
    if (error instanceof ApiError) {
      serverWait = error.retryAfterMs
      // A 503 may come from a proxy after the API acted: only the caller, reading the state, can tell.
      const safeToResend = error.status === 429
      if (!RETRYABLE_STATUSES.has(error.status) || (!idempotent && !safeToResend)) return undefined
    } else if (error instanceof TransportError) {
      if (!idempotent && error.phase !== 'unsent') return undefined
    } else {
      return undefined
    }
    // A server that asks for a very long pause is better reported than waited out.
    if (serverWait !== undefined && serverWait > MAX_SERVER_WAIT_MS) return undefined
    const wait = Math.max(serverWait ?? 0, backoffMs(attempt, this.options.backoffBaseMs ?? 500, this.options.backoffCapMs ?? 10_000))
    return wait
  }

  private async send(method: 'GET' | 'POST', path: string, body: string | undefined, call: CallOptions): Promise<Answer> {
    const signal = call.signal ?? this.options.signal
    await this.turns.take()
    try {
      // Until a write is sent, a cancel stops it: only a write in flight is let finish.
      await this.pacing.turn(method === 'POST' ? this.options.signal : signal)
      if (method === 'POST' && this.options.signal.aborted) throw new CancelledError()
      const url = new URL(this.options.baseUrl + path)
      for (const [name, value] of Object.entries(call.query ?? {})) {
        if (value !== undefined) url.searchParams.set(name, String(value))
      }
      const correlationId = uuid()
      const label = `${method} ${url.pathname}`
      this.stats.requests++
      this.options.debug?.(`${label} (correlation id ${correlationId})`)
      const raw = await exchange({
        method,
        url,
        headers: {
          'X-API-KEY': this.options.apiKey,
          'X-PolyAI-Correlation-Id': correlationId,
          Accept: 'application/json',
          'User-Agent': USER_AGENT,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
        },
        body,
        ...(await this.connection),
        timeoutMs: this.options.requestTimeoutMs,
        maxBodyBytes: MAX_BODY_BYTES,
        signal,
        label,
        correlationId
      })
      return this.answerFrom(raw, label, correlationId)
    } catch (error) {
      // A write cut off once sent (the second cancel) may still be made: say so, not merely "cancelled".
      if (signal.aborted && method === 'POST' && error instanceof TransportError && error.phase !== 'unsent') {
        throw new UnknownOutcomeError(
          `${error.request} was abandoned in flight by a second cancel, so the outcome is unknown: the server may still make the change.`
        )
      }
      if (signal.aborted) throw new CancelledError()
      throw error
    } finally {
      this.turns.give()
    }
  }

  private answerFrom(raw: RawResponse, label: string, correlationId: string): Answer {
    // An answer that echoes the request (a proxy's error page, a debug body) must not carry the key on.
    const text = redact(raw.text, this.options.apiKey)
    const parsed = parseJson(text)
    if (raw.status >= 200 && raw.status < 300) {
      if (parsed === undefined) {
        throw new ApiError(raw.status, 'INVALID_RESPONSE', 'the answer was not JSON', correlationId, label)
      }
      return { status: raw.status, body: parsed, correlationId, serverAheadMs: serverAheadMs(raw.headers.date) }
    }
    if (raw.status >= 300 && raw.status < 400) {
      // A redirect could carry the key to another host: never follow one.
      throw new ApiError(raw.status, 'REDIRECT_REFUSED', `redirect to ${String(raw.headers.location ?? '(no location)')} refused`, correlationId, label)
    }
    const envelope = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>
    const error = new ApiError(
      raw.status,
      typeof envelope.error_code === 'string' ? envelope.error_code : '',
      typeof envelope.error_message === 'string' ? envelope.error_message : typeof envelope.error === 'string' ? envelope.error : text.slice(0, 200),
      typeof envelope.error_id === 'string' && envelope.error_id ? envelope.error_id : correlationId,
      label
    )
    // A Retry-After date is on the server's clock: read it against the answer's own Date, not ours.
    const serverNow = Date.parse(String(raw.headers.date ?? ''))
    error.retryAfterMs = retryAfterMs(raw.headers['retry-after'], Number.isFinite(serverNow) ? serverNow : Date.now())
    error.body = parsed
    if (raw.status === 429) {
      this.stats.throttled++
      this.pacing.throttled(error.retryAfterMs, MAX_SERVER_WAIT_MS)
    }
    throw error
  }
}

/** A Date header counts whole seconds: the server's clock was up to a second past it, so take the middle. */
function serverAheadMs(date: string | undefined): number | undefined {
  const at = date ? Date.parse(date) : NaN
  return Number.isFinite(at) ? at + 500 - Date.now() : undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

interface Connection {
  send: typeof http.request
  agent: http.Agent
  dispose(): void
}

/**
 * Keep-alive sockets to the API. Where HTTPS_PROXY / NO_PROXY send it through a proxy,
 * @actions/http-client builds the tunnel, as for every action. https and http-client are loaded only
 * when needed: TLS and undici are most of a step's start-up time otherwise.
 */
async function connectionFor(baseUrl: URL): Promise<Connection> {
  const https = baseUrl.protocol === 'https:' ? await import('node:https') : undefined
  const send = https ? https.request : http.request
  if (getProxyUrl(baseUrl)) {
    const { HttpClient } = await import('@actions/http-client')
    const proxied = new HttpClient(USER_AGENT, [], { allowRedirects: false, keepAlive: true, maxSockets: 16 })
    return { send, agent: proxied.getAgent(baseUrl.href) as http.Agent, dispose: () => proxied.dispose() }
  }
  const options = { keepAlive: true, maxSockets: 16 }
  const agent = https ? new https.Agent(options) : new http.Agent(options)
  return { send, agent, dispose: () => agent.destroy() }
}
