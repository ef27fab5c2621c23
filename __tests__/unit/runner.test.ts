import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import * as runner from '../../src/runner.js'
import { parseOutputFile } from '../../scripts/run-action.js'

// src/runner.ts speaks the runner's protocol without @actions/core's start-up cost; here the two
// are held side by side on the same text, @actions/core being the reference.

let written: string[]
beforeEach(() => {
  written = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  process.exitCode = undefined
})

const texts = ['plain', 'with %, \r and \n', 'a: b, c', '::error::injected', '', 'ünïcødé ✓']

/** What one call writes to stdout. */
function capture(call: () => void): string {
  written = []
  call()
  return written.join('')
}

describe('workflow commands match @actions/core', () => {
  it.each(texts)('for %j', (text) => {
    expect(capture(() => runner.debug(text))).toBe(capture(() => core.debug(text)))
    expect(capture(() => runner.warning(text))).toBe(capture(() => core.warning(text)))
    expect(capture(() => runner.error(text, `title ${text}`))).toBe(capture(() => core.error(text, { title: `title ${text}` })))
    expect(capture(() => runner.setSecret(text))).toBe(capture(() => core.setSecret(text)))
    expect(capture(() => runner.setFailed(text))).toBe(capture(() => core.setFailed(text)))
  })

  it('reads inputs as core does', () => {
    process.env['INPUT_SOME-NAME'] = '  value  '
    process.env.INPUT_WITH_SPACE = 'x'
    expect(runner.getInput('some-name')).toBe(core.getInput('some-name'))
    expect(runner.getInput('with space')).toBe(core.getInput('with space'))
    expect(runner.getInput('absent')).toBe(core.getInput('absent'))
    delete process.env['INPUT_SOME-NAME']
    delete process.env.INPUT_WITH_SPACE
  })
})

describe('info', () => {
  it('prints text as core does, but defuses lines that would be read as commands', () => {
    expect(capture(() => runner.info('plain line'))).toBe(capture(() => core.info('plain line')))
    expect(capture(() => runner.info('id\n::set-output name=x::y\n##[error]z'))).toBe(`id\n ::set-output name=x::y\n ##[error]z\n`)
  })
})

describe('files', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
    delete process.env.GITHUB_OUTPUT
    delete process.env.GITHUB_STEP_SUMMARY
  })

  it('writes outputs that read back as core\'s do, multi-line values included', () => {
    const ours = join(dir, 'ours')
    const theirs = join(dir, 'theirs')
    writeFileSync(ours, '')
    writeFileSync(theirs, '')
    for (const [file, set] of [[ours, runner.setOutput], [theirs, core.setOutput]] as const) {
      process.env.GITHUB_OUTPUT = file
      set('one', 'value')
      set('json', '{"a":[1,2]}\nsecond line')
    }
    expect(parseOutputFile(readFileSync(ours, 'utf8'))).toEqual(parseOutputFile(readFileSync(theirs, 'utf8')))
    expect(parseOutputFile(readFileSync(ours, 'utf8'))).toEqual({ one: 'value', json: '{"a":[1,2]}\nsecond line' })
  })

  it('appends the summary as core.summary.addRaw(text, true).write() does', async () => {
    const ours = join(dir, 'ours')
    const theirs = join(dir, 'theirs')
    writeFileSync(ours, 'before\n')
    writeFileSync(theirs, 'before\n')
    process.env.GITHUB_STEP_SUMMARY = ours
    runner.appendSummary('## Title\n\n| a |')
    process.env.GITHUB_STEP_SUMMARY = theirs
    await core.summary.addRaw('## Title\n\n| a |', true).write()
    expect(readFileSync(ours, 'utf8')).toBe(readFileSync(theirs, 'utf8'))
  })
})

describe('ids', () => {
  it('makes version 4 UUIDs, all different', async () => {
    const { uuid } = await import('../../src/ids.js')
    const made = Array.from({ length: 2000 }, uuid)
    for (const id of made) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(made).size).toBe(made.length)
  })

  it('never picks a delimiter that the value contains', async () => {
    const { delimiterFor, uuid } = await import('../../src/ids.js')
    const real = Math.random
    const random = jest.spyOn(Math, 'random').mockReturnValue(0)
    const forced = `ghadelimiter_${uuid()}`
    // Its first candidate is the forced one, which the value holds; it must move on to another.
    let calls = 0
    random.mockImplementation(() => (calls++ < 31 ? 0 : real()))
    const chosen = delimiterFor('name', `value with ${forced} inside`)
    random.mockRestore()
    expect(calls).toBeGreaterThan(31)
    expect(chosen).not.toBe(forced)
    expect(`value with ${forced} inside`).not.toContain(chosen)
  })
})
