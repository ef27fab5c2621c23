// `npm run build`: bundles src/ into dist/ with ncc, then writes dist/licenses.txt from ncc's module
// stats and dist/sources.sha256 (what `npm test` checks the bundle against). Both are deterministic,
// so CI can still compare dist/ with a fresh build.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundledPackageDirs, licenseOf, renderLicenses } from './licenses.js'
import { formatHashes, hashSources, HASHES_FILE } from './sources.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
// Webpack's stats are megabytes: kept out of dist/, next to ncc's own cache.
const STATS = join(ROOT, 'node_modules', '.cache', 'polyai-release-gate', 'ncc-stats.json')

rmSync(join(ROOT, 'dist'), { recursive: true, force: true })
mkdirSync(dirname(STATS), { recursive: true })
const ncc = spawnSync(join(ROOT, 'node_modules', '.bin', 'ncc'), ['build', 'src/index.ts', '-o', 'dist', '--stats-out', STATS], {
  cwd: ROOT,
  stdio: 'inherit'
})
if (ncc.status !== 0) {
  console.error(ncc.error ? `ncc did not start: ${ncc.error.message}` : `ncc failed (exit ${ncc.status ?? ncc.signal})`)
  process.exit(1)
}

const dirs = bundledPackageDirs(JSON.parse(readFileSync(STATS, 'utf8')))
writeFileSync(join(ROOT, 'dist', 'licenses.txt'), renderLicenses(dirs.map(licenseOf)))
writeFileSync(join(ROOT, HASHES_FILE), formatHashes(hashSources(ROOT)))
console.log(`dist/licenses.txt: ${dirs.length} bundled package copies; ${HASHES_FILE}: the hashes of src/`)
