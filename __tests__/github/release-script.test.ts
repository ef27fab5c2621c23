// scripts/release/index.js, the release workflow's tag logic, walked on a throwaway repository with a
// bare repository as its origin: no network, real git.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../../scripts/release/index.js', import.meta.url))
const CHANGELOG = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '- Not yet.',
  '',
  '## [1.1.0] - 2026-02-01',
  '',
  '### Added',
  '',
  '- A feature.',
  '',
  '## [1.0.0] - 2026-01-01',
  '',
  '- First.',
  '',
  '[Unreleased]: https://example.invalid/compare/v1.1.0...HEAD',
  '[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0',
  ''
].join('\n')

let dir: string
let repo: string
let origin: string
// Only what git needs: no global config or hooks of this machine.
const env = { PATH: process.env.PATH, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' }

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}
const release = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: repo, env, encoding: 'utf8' })

/** A commit with package.json at this version, tagged vVERSION; its sha. */
function commitVersion(version: string): string {
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'x', version }))
  git('add', '.')
  git('commit', '-q', '-m', `release ${version}`)
  git('tag', `v${version}`)
  return git('rev-parse', 'HEAD')
}
const remoteTag = (name: string): string => spawnSync('git', ['rev-parse', `refs/tags/${name}`], { cwd: origin, env, encoding: 'utf8' }).stdout.trim()

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-'))
  repo = join(dir, 'repo')
  origin = join(dir, 'origin.git')
  spawnSync('git', ['init', '-q', '--bare', origin], { env })
  spawnSync('git', ['init', '-q', repo], { env })
  git('remote', 'add', 'origin', origin)
  writeFileSync(join(repo, 'CHANGELOG.md'), CHANGELOG)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('check', () => {
  it('prints the changelog section of the version, without the link definitions', () => {
    commitVersion('1.1.0')
    const result = release('check', 'v1.1.0')
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toBe('### Added\n\n- A feature.\n')
  })

  it('refuses a tag that is not package.json\'s version, a pre-release, or one with no notes', () => {
    expect(release('check', 'v1.0.0')).toMatchObject({ status: 1, stderr: expect.stringContaining("does not match package.json's version 1.1.0") })
    expect(release('check', 'v1.1.0-rc.1')).toMatchObject({ status: 1, stderr: expect.stringContaining('not a release tag') })
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ version: '1.2.0' }))
    expect(release('check', 'v1.2.0')).toMatchObject({ status: 1, stderr: expect.stringContaining("no section '## [1.2.0]'") })
    git('checkout', '-q', '--', 'package.json')
  })
})

describe('move-major', () => {
  it('moves v1 with each newer v1 release and pushes it, leaves it on the newest for an older fix, and starts v2 apart', () => {
    const first = git('rev-parse', 'v1.1.0')
    expect(release('move-major', 'v1.1.0').status).toBe(0)
    expect([git('rev-parse', 'v1'), remoteTag('v1')]).toEqual([first, first])

    const second = commitVersion('1.2.0')
    expect(release('move-major', 'v1.2.0').stdout).toContain('v1 now points at v1.2.0')
    expect(remoteTag('v1')).toBe(second)

    // A fix to the 1.1 line, tagged after 1.2.0: released, but v1 stays.
    git('checkout', '-q', '-b', 'fix', 'v1.1.0')
    commitVersion('1.1.1')
    const stays = release('move-major', 'v1.1.1')
    expect(stays).toMatchObject({ status: 0, stdout: expect.stringContaining('v1 stays on v1.2.0') })
    expect(remoteTag('v1')).toBe(second)

    git('checkout', '-q', '-')
    const third = commitVersion('2.0.0')
    expect(release('move-major', 'v2.0.0').status).toBe(0)
    expect([remoteTag('v2'), remoteTag('v1')]).toEqual([third, second])
  })

  it('fails with git\'s message, not a stack trace, for a tag that does not exist', () => {
    const result = release('move-major', 'v9.0.0')
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^release: .*v9\.0\.0/)
    expect(result.stderr).not.toContain('    at ')
  })
})

describe("this repository's CHANGELOG.md", () => {
  const root = fileURLToPath(new URL('../..', import.meta.url))

  it('has an Unreleased section and the notes the release of package.json\'s version would publish', () => {
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toMatch(/^## \[Unreleased\]$/m)
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    const result = spawnSync(process.execPath, [SCRIPT, 'check', `v${version}`], { cwd: root, env, encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^### Added\n\n- /)
  })
})
