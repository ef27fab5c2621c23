import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, errors, expectClean, QUICK_TESTS, run } from './harness.js'

// HTTPS_PROXY and NO_PROXY, as every action honours them: the action reaches https://api.polyai.test
// only through a CONNECT proxy on loopback, which tunnels to a TLS front for the emulator.
const HOST = 'api.polyai.test'
let emulator: Emulator
let certDir: string
let front: Server
let proxy: Server
const tunnels: string[] = []
const frontRequests: string[] = []

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))

beforeAll(async () => {
  emulator = await emulatorWith({ 'agent-1': QUICK_TESTS })
  certDir = mkdtempSync(join(tmpdir(), 'polyai-proxy-'))
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`,
    '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')
  ], { stdio: 'ignore' })
  const emulatorUrl = new URL(emulator.url)
  front = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (incoming, outgoing) => {
    frontRequests.push(`${incoming.method} ${incoming.url}`)
    const forward = httpRequest({ host: emulatorUrl.hostname, port: emulatorUrl.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    incoming.pipe(forward)
  })
  const frontPort = await listen(front)
  proxy = createHttpServer()
  proxy.on('connect', (request, clientSocket, head) => {
    tunnels.push(request.url ?? '')
    // Whatever host was asked for, the tunnel ends at the TLS front.
    const upstream = connect(frontPort, '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(clientSocket)
      clientSocket.pipe(upstream)
    })
    upstream.on('error', () => clientSocket.destroy())
    clientSocket.on('error', () => upstream.destroy())
  })
  await listen(proxy)
})

afterAll(async () => {
  front.closeAllConnections()
  proxy.closeAllConnections()
  await Promise.all([new Promise((resolve) => front.close(resolve)), new Promise((resolve) => proxy.close(resolve))])
  await emulator.close()
  rmSync(certDir, { recursive: true, force: true })
})

const proxyEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
  NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem'),
  ...extra
})

it('goes through HTTPS_PROXY for the whole gate', async () => {
  const result = await run(emulator, { operation: 'publish', 'base-url': `https://${HOST}` }, { env: proxyEnv() })
  expectClean(result, emulator)
  expect(result.code).toBe(0)
  expect(result.outputs['tests-result']).toBe('passed')
  expect(tunnels.length).toBeGreaterThan(0)
  expect(new Set(tunnels)).toEqual(new Set([`${HOST}:443`]))
  expect(frontRequests).toContain('POST /v1/agents/agent-1/deployments/publish')
  expect(emulator.requests.every((request) => request.headers.host === HOST)).toBe(true)
})

it('goes direct for a host in NO_PROXY', async () => {
  const before = tunnels.length
  const result = await run(emulator, { operation: 'active', 'base-url': `https://${HOST}` }, { env: proxyEnv({ NO_PROXY: HOST }) })
  expect(result.code).toBe(1)
  // Direct means a name lookup of a host that only the proxy knows.
  expect(errors(result)[0]).toMatch(/GET \/v1\/agents\/agent-1\/deployments\/active failed: .*ENOTFOUND/)
  expect(tunnels.length).toBe(before)
})

it('says that the proxy refused the tunnel, and never reaches the API', async () => {
  // A proxy that wants credentials the runner does not have.
  const refusing = createHttpServer()
  refusing.on('connect', (_request, clientSocket) => clientSocket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'))
  const port = await listen(refusing)
  const before = emulator.requests.length
  try {
    const result = await run(emulator, { operation: 'publish', 'base-url': `https://${HOST}` }, { env: proxyEnv({ HTTPS_PROXY: `http://127.0.0.1:${port}` }) })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^GET \/v1\/agents\/agent-1\/deployments\/active failed: tunneling socket could not be established, statusCode=407.*: the proxy refused to connect \(check HTTPS_PROXY/)
    expect(emulator.requests.length).toBe(before)
  } finally {
    await new Promise((resolve) => refusing.close(resolve))
  }
})
