// dist/licenses.txt names every package the bundle is made of. The list to hold it to comes from the
// lock file, apart from the build that wrote it: every package the runtime dependencies pull in,
// short of those that ship no JavaScript (type declarations only, so nothing of them is bundled).
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundledPackageDirs, listedPackages, packageDirOf, renderLicenses } from '../../scripts/build/licenses.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface LockEntry {
  name?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }

/** Where Node would find `name` from the package at `from` (a lock path such as node_modules/a/node_modules/b). */
function resolveIn(from: string, name: string): string | undefined {
  for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
    const path = `${base ? `${base}/` : ''}node_modules/${name}`
    if (lock.packages[path]) return path
    if (!base) return undefined
  }
}

/** Every lock path the runtime dependencies reach. */
function runtimeClosure(): string[] {
  const seen = new Set<string>()
  const visit = (path: string): void => {
    if (seen.has(path)) return
    seen.add(path)
    const entry = lock.packages[path]
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const found = resolveIn(path, name)
      if (found) visit(found)
    }
  }
  for (const name of Object.keys(lock.packages[''].dependencies ?? {})) visit(resolveIn('', name)!)
  return [...seen].sort()
}

/** Whether a package has any JavaScript of its own (its nested node_modules aside). */
function shipsJavaScript(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? entry.name !== 'node_modules' && shipsJavaScript(join(dir, entry.name)) : /\.[cm]?js$/.test(entry.name)
  )
}

const nameAt = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)

describe('dist/licenses.txt', () => {
  const text = readFileSync(join(ROOT, 'dist', 'licenses.txt'), 'utf8')
  const listed = listedPackages(text)
  const runtime = runtimeClosure().filter((path) => existsSync(join(ROOT, path)) && shipsJavaScript(join(ROOT, path)))

  it('lists every package the runtime dependencies bring, and nothing else', () => {
    expect(runtime.length).toBeGreaterThan(10)
    expect(runtime.map(nameAt).filter((name) => !listed.has(name))).toEqual([])
    const expected = new Set(runtime.map(nameAt))
    expect([...listed].filter((name) => !expected.has(name))).toEqual([])
  })

  it('gives each a licence text', () => {
    expect(text).not.toContain('ships no licence file')
    for (const name of ['@actions/core', 'undici', 'tunnel']) expect(text).toMatch(new RegExp(`^${name}\\nMIT\\n.*(MIT|Permission is hereby granted)`, 'm'))
  })

  it('the check notices a package left out', () => {
    const without = renderLicenses([
      { name: '@actions/core', type: 'MIT', text: 'Copyright\n\nAll rights reserved\nPermission…' },
      { name: 'tunnel', type: 'MIT', text: 'The MIT License' }
    ])
    expect([...listedPackages(without)]).toEqual(['@actions/core', 'tunnel'])
    expect(runtime.map(nameAt).filter((name) => !listedPackages(without).has(name))).toContain('undici')
  })
})

describe('the packages of a bundle, from ncc stats', () => {
  const loaders = '/r/node_modules/@vercel/ncc/dist/ncc/loaders/empty-loader.js!/r/node_modules/@vercel/ncc/dist/ncc/loaders/relocate-loader.js??ruleSet[1]!'

  it('takes each module in a chunk, concatenated ones included, by the file under its loaders', () => {
    const stats = {
      modules: [
        { identifier: `${loaders}/r/src/main.ts|hash`, chunks: [1], modules: [{ identifier: `${loaders}/r/node_modules/@actions/core/lib/core.js`, chunks: [] }] },
        { identifier: `${loaders}/r/node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js`, chunks: [2] },
        { identifier: `${loaders}/r/node_modules/tunnel/index.js?x`, chunks: [1] },
        { identifier: `${loaders}/r/node_modules/left-out/index.js`, chunks: [] }
      ]
    }
    expect(bundledPackageDirs(stats)).toEqual([
      '/r/node_modules/@actions/core',
      '/r/node_modules/@actions/github/node_modules/@actions/http-client',
      '/r/node_modules/tunnel'
    ])
    expect(packageDirOf('/r/src/index.ts')).toBeUndefined()
  })
})
