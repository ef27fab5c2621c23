import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from '@jest/globals'
import { ApiClient } from '../../src/api/client.js'
import { ApiError, CancelledError, TransportError } from '../../src/errors.js'

// The client against real loopback sockets: what it resends, and what it leaves to its caller.
let server: Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

type Handler = (count: number, method: string, url: string) => { status: number; headers?: Record<string, string>; body?: string }

async function serve(handler: Handler): Promise<{ url: string; arrivals: { method: string; url: string; at: number }[] }> {
  const arrivals: { method: string; url: string; at: number }[] = []
  server = createServer((request, response) => {
    arrivals.push({ method: request.method ?? '', url: request.url ?? '', at: Date.now() })
    const answer = handler(arrivals.length, request.method ?? '', request.url ?? '')
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    response.end(answer.body ?? '{}')
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, arrivals }
}

function client(baseUrl: string): ApiClient {
  return new ApiClient({ baseUrl, apiKey: 'k', requestTimeoutMs: 5000, signal: new AbortController().signal, backoffBaseMs: 10, backoffCapMs: 50 })
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<string> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

describe('a request Node will not build', () => {
  it('fails as never sent, arms no timer, and never sends it', async () => {
    const { url, arrivals } = await serve(() => ({ status: 200 }))
    const api = new ApiClient({ baseUrl: url, apiKey: 'a\u2019b', requestTimeoutMs: 200, signal: new AbortController().signal, backoffBaseMs: 10, backoffCapMs: 50 })
    const error = await api.get('/x', { tries: 1 }).catch((caught: unknown) => caught)
    // Past the request-timeout: a timer left armed would fire now, on a request that never existed.
    await new Promise((resolve) => setTimeout(resolve, 300))
    api.close()
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).phase).toBe('unsent')
    expect(arrivals).toEqual([])
  })
})

describe('writes', () => {
  it('are sent again when the connection was refused, and fail as unsent after the bound', async () => {
    const api = client(await closedPort())
    const error = await api.post('/x', {}, { tries: 3 }).catch((caught: unknown) => caught)
    api.close()
    expect(error).toBeInstanceOf(TransportError)
    expect((error as TransportError).phase).toBe('unsent')
    expect(api.stats.requests).toBe(3)
    // It never reached the API: the message says where to look.
    expect((error as Error).message).toMatch(/^POST \/x failed: .*ECONNREFUSED.*: the request never reached the API \(check region or base-url, the runner's network, and HTTPS_PROXY where a proxy is needed\) \(correlation id /)
  })

  it.each([
    ['429 with Retry-After', 429, { 'retry-after': '0' }, 2],
    // A proxy may answer 503 after the API acted: the caller reads the state before any resend.
    ['503 with Retry-After', 503, { 'retry-after': '0' }, 1],
    ['503 without Retry-After', 503, {}, 1],
    ['502', 502, {}, 1],
    ['500', 500, {}, 1]
  ])('after %s, sends as often as is safe', async (_name, status, headers, sends) => {
    const { url, arrivals } = await serve((count) => (count === 1 ? { status, headers } : { status: 201 }))
    const api = client(url)
    await api.post('/x', {}).catch((error: unknown) => expect(error).toBeInstanceOf(ApiError))
    api.close()
    expect(arrivals.filter((arrival) => arrival.method === 'POST')).toHaveLength(sends)
  })

  it('sends no write again once the step is cancelled, though the write itself may finish', async () => {
    const { url, arrivals } = await serve(() => ({ status: 429, headers: { 'retry-after': '1' } }))
    const cancel = new AbortController()
    const api = new ApiClient({ baseUrl: url, apiKey: 'k', requestTimeoutMs: 5000, signal: cancel.signal, writeSignal: new AbortController().signal })
    const sent = api.post('/x', {}).catch((caught: unknown) => caught)
    // The 429 arrives, and the step is cancelled during the pause before the resend.
    await new Promise((resolve) => setTimeout(resolve, 300))
    cancel.abort()
    const error = await sent
    api.close()
    expect(error).toBeInstanceOf(CancelledError)
    expect(arrivals.filter((arrival) => arrival.method === 'POST')).toHaveLength(1)
  })
})

describe('answers', () => {
  const KEY = 'secret-key-0123456789'
  it('never carries the key on, even where an echoed body is cut short', async () => {
    // A proxy's error page echoing the request headers, the key straddling the 200-character cut.
    const page = `<html>${'x'.repeat(177)} X-API-KEY: ${KEY} and more</html>`
    const { url } = await serve(() => ({ status: 400, headers: { 'content-type': 'text/html' }, body: page }))
    const api = new ApiClient({ baseUrl: url, apiKey: KEY, requestTimeoutMs: 5000, signal: new AbortController().signal })
    const error = (await api.get('/x').catch((caught: unknown) => caught)) as ApiError
    api.close()
    expect(error).toBeInstanceOf(ApiError)
    expect(error.message).toContain('X-API-KEY: ***')
    expect(error.message).not.toContain(KEY.slice(0, 6))
  })

  it('takes the key out of an error envelope that echoes it', async () => {
    const body = JSON.stringify({ error_code: 'BAD', error_message: `rejected headers {"x-api-key":"${KEY}"}` })
    const { url } = await serve(() => ({ status: 400, body }))
    const api = new ApiClient({ baseUrl: url, apiKey: KEY, requestTimeoutMs: 5000, signal: new AbortController().signal })
    const error = (await api.get('/x').catch((caught: unknown) => caught)) as ApiError
    api.close()
    expect(error.message).toContain('rejected headers {"x-api-key":"***"}')
    expect(JSON.stringify(error.body)).not.toContain(KEY)
  })
})

describe('reads', () => {
  it('a 429 pauses every request of the client, not only the one throttled', async () => {
    const { url, arrivals } = await serve((count) => (count === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }))
    const api = client(url)
    const first = api.get('/first')
    // Sent after the 429 arrived: it must wait out the same pause.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await Promise.all([first, api.get('/second')])
    api.close()
    const throttledAt = arrivals[0].at
    const others = arrivals.slice(1)
    expect(others.map((arrival) => arrival.url).sort()).toEqual(['/first', '/second'])
    for (const arrival of others) expect(arrival.at - throttledAt).toBeGreaterThanOrEqual(950)
    expect(api.stats.throttled).toBe(1)
  })

  it.each([
    ['ahead of the runner', 10 * 60_000],
    ['behind the runner', -10 * 60_000]
  ])('reads a Retry-After date on the server\'s clock, from its Date header, with that clock %s', async (_name, skewMs) => {
    const { url, arrivals } = await serve((count) => {
      // Whole seconds, as HTTP dates are: the pause is 1–2 s on the server's clock.
      const serverNow = Math.floor((Date.now() + skewMs) / 1000) * 1000
      const headers = { date: new Date(serverNow).toUTCString(), 'retry-after': new Date(serverNow + 2000).toUTCString() }
      return count === 1 ? { status: 429, headers } : { status: 200 }
    })
    const api = client(url)
    await api.get('/x')
    api.close()
    expect(arrivals).toHaveLength(2)
    // Neither ten minutes' wait (nor a refusal to wait that long) nor none at all.
    expect(arrivals[1].at - arrivals[0].at).toBeGreaterThanOrEqual(950)
  })

  it('refuses a redirect without following it', async () => {
    const { url, arrivals } = await serve(() => ({ status: 307, headers: { location: '/elsewhere' } }))
    const api = client(url)
    const error = (await api.get('/x').catch((caught: unknown) => caught)) as ApiError
    api.close()
    expect(error.errorCode).toBe('REDIRECT_REFUSED')
    expect(arrivals.map((arrival) => arrival.url)).toEqual(['/x'])
  })

  it('sends the key and a fresh correlation id with every request', async () => {
    const seen: string[] = []
    server = createServer((request, response) => {
      seen.push(`${request.headers['x-api-key']} ${request.headers['x-polyai-correlation-id']}`)
      response.end('{}')
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const api = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    await api.get('/a')
    await api.get('/b')
    api.close()
    expect(seen).toHaveLength(2)
    expect(seen.every((line) => line.startsWith('k '))).toBe(true)
    expect(seen[0]).not.toBe(seen[1])
  })
})
