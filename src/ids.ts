/**
 * Random identifiers without node:crypto, whose loading is a tenth of a step's start-up. Neither use
 * needs secrecy: a correlation id only has to be unique enough to find one request in PolyAI's logs,
 * and an output delimiter is checked against the value it encloses before it is used.
 */

const hex = (digits: number): string =>
  Array.from({ length: digits }, () => Math.floor(Math.random() * 16).toString(16)).join('')

/** A version 4 UUID, the form PolyAI's correlation ids take. */
export function uuid(): string {
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16)
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`
}

/** A heredoc delimiter for the runner's files that occurs in none of the texts it encloses. */
export function delimiterFor(...texts: string[]): string {
  for (;;) {
    const delimiter = `ghadelimiter_${uuid()}`
    if (!texts.some((text) => text.includes(delimiter))) return delimiter
  }
}
