// The emulator behind https, as the real API is reached: a throwaway self-signed certificate for
// localhost (openssl, as __tests__/e2e/proxy.test.ts makes one), and a TLS server that forwards
// every request to the plain-http emulator. Children trust it through NODE_EXTRA_CA_CERTS.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { createServer } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** @param {string} emulatorUrl @returns {Promise<{ url: string, caFile: string, close: () => Promise<void> }>} */
export async function startTlsFront(emulatorUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'polyai-bench-tls-'))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  const upstream = new URL(emulatorUrl)
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (incoming, outgoing) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    forward.on('error', () => outgoing.destroy())
    incoming.pipe(forward)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `https://localhost:${server.address().port}`,
    caFile: join(dir, 'cert.pem'),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
