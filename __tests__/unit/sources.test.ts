// The hashes that tell `npm test` whether dist/ was built from this src/ (scripts/build/sources.js).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { changedSources, formatHashes, hashSources, HASHES_FILE, parseHashes } from '../../scripts/build/sources.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sources-'))
  mkdirSync(join(root, 'src', 'api'), { recursive: true })
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 1\n')
  writeFileSync(join(root, 'src', 'api', 'client.ts'), 'export const b = 2\n')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const build = (): void => writeFileSync(join(root, HASHES_FILE), formatHashes(hashSources(root)))

describe('changedSources', () => {
  it('finds nothing right after a build, whatever the timestamps', () => {
    build()
    expect(changedSources(root)).toEqual([])
    // A fresh clone: every file newer than dist/, nothing different.
    writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 1\n')
    expect(changedSources(root)).toEqual([])
  })

  it('names the files changed, added and removed since the build', () => {
    build()
    writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 3\n')
    writeFileSync(join(root, 'src', 'api', 'new.ts'), '')
    rmSync(join(root, 'src', 'api', 'client.ts'))
    expect(changedSources(root)).toEqual(['src/api/new.ts (new)', 'src/main.ts', 'src/api/client.ts (removed)'])
  })

  it('counts a CRLF checkout as the same text', () => {
    build()
    writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 1\r\n')
    expect(changedSources(root)).toEqual([])
  })

  it('says so when dist/ has no hashes at all', () => {
    expect(changedSources(root)).toEqual([`(${HASHES_FILE} is missing)`])
  })

  it('reads back the sha256sum format it writes', () => {
    const hashes = hashSources(root)
    expect([...hashes.keys()]).toEqual(['src/api/client.ts', 'src/main.ts'])
    expect(formatHashes(hashes)).toMatch(/^[0-9a-f]{64} {2}src\/api\/client\.ts\n[0-9a-f]{64} {2}src\/main\.ts\n$/)
    expect(parseHashes(formatHashes(hashes))).toEqual(hashes)
  })
})
