// `npm test`'s pretest. Lets it work on a fresh clone: installs from the lock file when nothing is
// installed yet. Then stops at once if dist/ was not built from the src/ of this checkout, naming the
// files, since the end-to-end tests run dist/index.js and would test an old bundle.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { changedSources, HASHES_FILE } from './build/sources.js'

const root = fileURLToPath(new URL('..', import.meta.url))
if (!existsSync(new URL('../node_modules/jest/package.json', import.meta.url))) {
  console.log('Installing dependencies from package-lock.json (npm ci)…')
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit', cwd: root })
}

const changed = changedSources(root)
if (changed.length > 0) {
  console.error(`dist/ is stale: these files of src/ differ from what it was built from (${HASHES_FILE}):`)
  for (const file of changed) console.error(`  ${file}`)
  console.error('Run `npm run build` first (and commit dist/).')
  process.exit(1)
}
