// The benchmark runs the action's own poller and schedule, compiled from src/gate by tsc at the
// start of every run, so that a change to src/gate changes the figures by itself (no copy to keep
// in step). The output goes under node_modules/.cache, where its imports of packages resolve.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** sha256 of the sources the poller is built from, short, for the report. @param {string} repo */
export function gateSourceHash(repo) {
  const hash = createHash('sha256')
  for (const dir of ['src/gate', 'src/time', 'src/api', 'src']) {
    for (const name of readdirSync(join(repo, dir)).filter((file) => file.endsWith('.ts')).sort()) {
      hash.update(name).update(readFileSync(join(repo, dir, name)))
    }
  }
  return hash.digest('hex').slice(0, 12)
}

/**
 * Compiles src/gate/poller.ts and what it imports; resolves with the poller and schedule modules.
 * @param {string} repo
 * @returns {Promise<{ poller: any, schedule: any, dir: string, dispose: () => void }>}
 */
export async function compileGate(repo) {
  const cache = join(repo, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(join(cache, 'polyai-bench-gate-'))
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc')
  execFileSync(process.execPath, [tsc, join(repo, 'src/gate/poller.ts'), '--outDir', dir, '--rootDir', repo,
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node'], { stdio: 'inherit' })
  // Node stops looking for a package.json at node_modules: say that these files are ES modules.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  const load = (path) => import(pathToFileURL(join(dir, path)).href)
  const [poller, schedule] = await Promise.all([load('src/gate/poller.js'), load('src/gate/schedule.js')])
  return { poller, schedule, dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}
