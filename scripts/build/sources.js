// What dist/ was built from: a SHA-256 of each file under src/, written into dist/ by the build
// (sha256sum's format), so that `npm test` can tell a stale bundle by content. Timestamps cannot:
// a fresh clone gives every file the time of the checkout.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export const HASHES_FILE = 'dist/sources.sha256'

/** Each file under src/ (path relative to root, with /) mapped to the hash of its text; CRLF counts as LF. */
export function hashSources(root) {
  const hashes = new Map()
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) {
        const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n')
        hashes.set(relative(root, path).split('\\').join('/'), createHash('sha256').update(text).digest('hex'))
      }
    }
  }
  walk(join(root, 'src'))
  return hashes
}

export const formatHashes = (hashes) => [...hashes].map(([path, hash]) => `${hash}  ${path}\n`).join('')

export function parseHashes(text) {
  const hashes = new Map()
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line)
    if (match) hashes.set(match[2], match[1])
  }
  return hashes
}

/** The files of src/ that differ from what dist/ was built from: changed, added or removed. */
export function changedSources(root) {
  const file = join(root, HASHES_FILE)
  if (!existsSync(file)) return [`(${HASHES_FILE} is missing)`]
  const built = parseHashes(readFileSync(file, 'utf8'))
  const now = hashSources(root)
  const changed = [...now].filter(([path, hash]) => built.get(path) !== hash).map(([path]) => (built.has(path) ? path : `${path} (new)`))
  const removed = [...built.keys()].filter((path) => !now.has(path)).map((path) => `${path} (removed)`)
  return [...changed, ...removed]
}
