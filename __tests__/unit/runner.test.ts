import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as runner from '../../src/step/runner.js'
import { parseOutputFile } from '../../scripts/run-action.js'

// src/runner.ts is a thin layer over @actions/core: what is checked here is what it adds (defused
// command lines, ordered summary writes) and that its calls reach the runner as the runner reads them.

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

/** What one call writes to stdout. */
function capture(call: () => void): string {
  written = []
  call()
  return written.join('')
}

describe('info', () => {
  it('defuses every line that the runner would read as a command', () => {
    expect(capture(() => runner.info('plain line'))).toBe('plain line\n')
    expect(capture(() => runner.info('id\n::set-output name=x::y\n##[error]z\nnot :: at start'))).toBe(
      'id\n ::set-output name=x::y\n ##[error]z\nnot :: at start\n'
    )
    expect(capture(() => runner.info('::add-mask::k'))).toBe(' ::add-mask::k\n')
  })
})

describe('commands', () => {
  it('escape what would end or split a command', () => {
    expect(capture(() => runner.warning('a\nb: 100%', 'run 1, a: b'))).toBe('::warning title=run 1%2C a%3A b::a%0Ab: 100%25\n')
    expect(capture(() => runner.error('e'))).toBe('::error::e\n')
    expect(capture(() => runner.debug('d\r'))).toBe('::debug::d%0D\n')
    expect(capture(() => runner.setSecret('key'))).toBe('::add-mask::key\n')
  })

  it('setFailed annotates and sets the exit code, leaving the process to end by itself', () => {
    expect(capture(() => runner.setFailed('broke'))).toBe('::error::broke\n')
    expect(process.exitCode).toBe(1)
  })

})

describe('inputs', () => {
  afterEach(() => {
    for (const name of ['INPUT_SOME-NAME', 'INPUT_WITH_SPACE', 'INPUT_BLANK']) delete process.env[name]
  })

  it('maps names to INPUT_ variables as the runner sets them, trimmed; absent or blank is empty', () => {
    process.env['INPUT_SOME-NAME'] = '  value \n'
    process.env.INPUT_WITH_SPACE = 'x'
    process.env.INPUT_BLANK = '   '
    expect(runner.getInput('some-name')).toBe('value')
    expect(runner.getInput('with space')).toBe('x')
    expect(runner.getInput('blank')).toBe('')
    expect(runner.getInput('absent')).toBe('')
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
  })

  it('writes outputs to GITHUB_OUTPUT (nothing on stdout), multi-line values included', () => {
    const file = join(dir, 'output')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    const log = capture(() => {
      runner.setOutput('one', 'value')
      runner.setOutput('json', '{"a":[1,2]}\nsecond line')
    })
    expect(log).toBe('')
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({ one: 'value', json: '{"a":[1,2]}\nsecond line' })
  })
})

describe('summary', () => {
  // core.summary keeps the first path it finds for the life of the process, as a runner's step has one file.
  const dir = mkdtempSync(join(tmpdir(), 'runner-summary-'))
  const file = join(dir, 'summary')
  afterEach(() => {
    delete process.env.GITHUB_STEP_SUMMARY
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is skipped outside a runner', async () => {
    await runner.appendSummary('nowhere')
    expect(written.join('')).toBe('')
  })

  it('appends each text once and in order, even when called without waiting', async () => {
    writeFileSync(file, 'before\n')
    process.env.GITHUB_STEP_SUMMARY = file
    void runner.appendSummary('## One')
    await runner.appendSummary('| two |')
    expect(readFileSync(file, 'utf8')).toBe('before\n## One\n| two |\n')
  })

  it('only warns when the file cannot be written, and does not carry the lost text into the next write', async () => {
    process.env.GITHUB_STEP_SUMMARY = file
    rmSync(dir, { recursive: true, force: true })
    written = []
    await runner.appendSummary('lost')
    expect(written.join('')).toMatch(/^::warning::The job summary could not be written: ENOENT/)
    expect(process.exitCode).toBeUndefined()
    mkdirSync(dir)
    writeFileSync(file, '')
    await runner.appendSummary('next')
    expect(readFileSync(file, 'utf8')).toBe('next\n')
  })
})

describe('ids', () => {
  it('makes version 4 UUIDs, all different', async () => {
    const { uuid } = await import('../../src/api/correlation-id.js')
    const made = Array.from({ length: 2000 }, uuid)
    for (const id of made) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(made).size).toBe(made.length)
  })
})
