// dist/licenses.txt from what ncc really bundled: the package of every module in the chunks of its
// stats, each with its licence type and text, in the layout ncc's --license writes (name, type, text).
// ncc's own file misses packages in this bundle (it listed 2 of 20 once @actions/core joined the
// main chunk), so the build writes this one instead.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The file a module was read from: the last part of a loader chain, without query or hash. */
const resourceOf = (module) => String(module.identifier ?? module.name ?? '').split('!').pop().split(/[?|]/)[0]

/** The directory of the package that holds this file, or undefined for the project's own files. */
export function packageDirOf(file) {
  const at = file.lastIndexOf('/node_modules/')
  if (at < 0) return undefined
  const parts = file.slice(at + '/node_modules/'.length).split('/')
  const length = parts[0].startsWith('@') ? 2 : 1
  return file.slice(0, at) + '/node_modules/' + parts.slice(0, length).join('/')
}

/** The package directories of the modules that made it into a chunk (concatenated ones included). */
export function bundledPackageDirs(stats) {
  const dirs = new Set()
  const visit = (module) => {
    const dir = packageDirOf(resourceOf(module))
    if (dir) dirs.add(dir)
    for (const inner of module.modules ?? []) visit(inner)
  }
  for (const module of stats.modules ?? []) if ((module.chunks ?? []).length > 0) visit(module)
  return [...dirs].sort()
}

/** One package's name, licence type and licence text (its LICENSE, LICENCE or COPYING file). */
export function licenseOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const type = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'UNKNOWN')
  const file = existsSync(dir) ? readdirSync(dir).sort().find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name)) : undefined
  const text = file ? readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim() : `(${manifest.name} ships no licence file)`
  return { name: manifest.name, type, text }
}

/** The file: one entry per package name and text (two copies of a package with the same text are one entry). */
export function renderLicenses(entries) {
  const unique = new Map(entries.map((entry) => [`${entry.name}\0${entry.text}`, entry]))
  return [...unique.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => `${entry.name}\n${entry.type}\n${entry.text}`)
    .join('\n\n')
    .concat('\n')
}

// A licence type line: an SPDX identifier or expression, as package.json gives it (MIT, (MIT OR Apache-2.0)).
const SPDX = /^\(?[\w.+-]+( (OR|AND|WITH) [\w.+-]+)*\)?$/

/** The package names a licences file lists: the first line of each entry. */
export function listedPackages(text) {
  const names = new Set()
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    if ((index === 0 || lines[index - 1] === '') && /^(@[\w.-]+\/)?[\w.-]+$/.test(lines[index]) && SPDX.test(lines[index + 1] ?? '')) {
      names.add(lines[index])
    }
  }
  return names
}
