import { randomUUID } from 'node:crypto'

/**
 * A version 4 UUID, the form PolyAI's correlation ids take. node:crypto was once avoided here for
 * start-up time; @actions/core loads it at start anyway (for its output delimiters).
 */
export const uuid = (): string => randomUUID()
