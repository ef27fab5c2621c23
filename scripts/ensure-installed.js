// Lets `npm test` work on a fresh clone: installs from the lock file when nothing is installed yet.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (!existsSync(new URL('../node_modules/jest/package.json', import.meta.url))) {
  console.log('Installing dependencies from package-lock.json (npm ci)…')
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit', cwd: new URL('..', import.meta.url) })
}
