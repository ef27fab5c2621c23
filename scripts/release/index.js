// The release workflow's tag logic, run in the repository's root (the working directory):
//
//   node scripts/release/index.js check vX.Y.Z        checks the tag against package.json and prints
//                                                     CHANGELOG.md's section for it (the release notes)
//   node scripts/release/index.js move-major vX.Y.Z   points vX at the tag's commit and pushes it to
//                                                     origin, unless a later vX.*.* release exists
//
// A script rather than workflow shell, so that a test can walk it on a throwaway repository.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const TAG = /^v(\d+)\.(\d+)\.(\d+)$/

const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

function fail(message) {
  console.error(`release: ${message}`)
  process.exit(1)
}

/** [major, minor, patch] of a release tag, or undefined for any other name. */
function versionOf(tag) {
  const match = TAG.exec(tag)
  return match ? match.slice(1).map(Number) : undefined
}

const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

/** CHANGELOG.md's text under `## [version]`, up to the next section or the link definitions. */
function notesFor(changelog, version) {
  const lines = changelog.split(/\r?\n/)
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) return undefined
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => line.startsWith('## ') || /^\[[^\]]+\]: /.test(line))
  return (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
}

function check(tag) {
  if (!versionOf(tag)) fail(`'${tag}' is not a release tag vX.Y.Z (pre-releases are not published by this workflow)`)
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'))
  if (tag !== `v${version}`) fail(`the tag ${tag} does not match package.json's version ${version}: bump one of them`)
  const notes = notesFor(readFileSync('CHANGELOG.md', 'utf8'), version)
  if (!notes) fail(`CHANGELOG.md has no section '## [${version}]' with notes in it`)
  process.stdout.write(`${notes}\n`)
}

function moveMajor(tag) {
  const version = versionOf(tag)
  if (!version) fail(`'${tag}' is not a release tag vX.Y.Z`)
  const major = `v${version[0]}`
  // A fix to an older line (v1.2.4 after v1.3.0) is released, but v1 stays on the newest.
  const newest = git('tag', '--list', `${major}.*.*`)
    .split('\n')
    .filter((name) => versionOf(name))
    .sort((a, b) => compare(versionOf(b), versionOf(a)))[0]
  if (newest && compare(versionOf(newest), version) > 0) {
    console.log(`${major} stays on ${newest}, which is newer than ${tag}`)
    return
  }
  const commit = git('rev-parse', `${tag}^{commit}`)
  git('tag', '--force', major, commit)
  git('push', '--force', 'origin', `refs/tags/${major}`)
  console.log(`${major} now points at ${tag} (${commit.slice(0, 12)})`)
}

const [command, tag] = process.argv.slice(2)
try {
  if (command === 'check' && tag) check(tag)
  else if (command === 'move-major' && tag) moveMajor(tag)
  else fail('usage: node scripts/release/index.js check|move-major vX.Y.Z')
} catch (error) {
  // A git command that failed: its own message, not a stack trace.
  fail(String(error.stderr || error.message).trim())
}
