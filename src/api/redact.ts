/**
 * The key out of any text that could carry it on: masked as the runner masks it, wherever no runner
 * does. Also in the forms escaping gives it on the way (a backslash before any character, as JSON and
 * the summary's Markdown escape them, a backtick made a quote in a code span, or URL-encoded), so an
 * answer that echoes the key shows it nowhere.
 */
export function redact(text: string, apiKey: string): string {
  if (apiKey.length < 4) return text
  return text.replace(patternFor(apiKey), '***')
}

// Every answer and log line goes through redact with the same key: its pattern is built once.
let cached: { apiKey: string; pattern: RegExp } | undefined

function patternFor(apiKey: string): RegExp {
  if (cached?.apiKey !== apiKey) {
    const escaped = [...apiKey].map((char) => `\\\\?${char === '`' ? "[`']" : char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}`).join('')
    const encoded = encodeURIComponent(apiKey).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
    cached = { apiKey, pattern: new RegExp(`${escaped}|${encoded}`, 'g') }
  }
  return cached.pattern
}
