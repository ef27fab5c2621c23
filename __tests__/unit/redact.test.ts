import { describe, expect, it } from '@jest/globals'
import { redact } from '../../src/api/redact.js'
import { cell } from '../../src/report/summary.js'

// The key is scrubbed in every form an answer that echoes it may take on its way to a log or the summary.
describe('redact', () => {
  const key = 'sk-abc\\def|g`h*1'
  it.each([
    ['as sent', key],
    ['escaped in JSON', JSON.stringify(key).slice(1, -1)],
    ['escaped in a summary cell', cell(key)],
    ['in a summary code span', key.replace(/`/g, "'").replace(/\|/g, '\\|')],
    ['URL-encoded', encodeURIComponent(key)]
  ])('%s', (_name, form) => {
    expect(redact(`Invalid API key ${form}.`, key)).toBe('Invalid API key ***.')
  })

  it('leaves text that only shares a part of the key', () => {
    expect(redact('sk-abc\\def|g`h*', key)).toBe('sk-abc\\def|g`h*')
  })

  it('scrubs each key it is given, not the one it saw before', () => {
    expect(redact('one sk-first-key two sk-other-key', 'sk-first-key')).toBe('one *** two sk-other-key')
    expect(redact('one sk-first-key two sk-other-key', 'sk-other-key')).toBe('one sk-first-key two ***')
    expect(redact('twice sk-first-key sk-first-key', 'sk-first-key')).toBe('twice *** ***')
  })
})
