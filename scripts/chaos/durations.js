// The action's duration inputs (`6s`, `100ms`, `2m`) in ms, for the checks of how long a step took.
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** @param {string} text */
export function parseDuration(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) throw new Error(`not a duration: ${text}`)
  return Number(match[1]) * UNIT_MS[match[2] ?? 's']
}
