export type Shape = 'even' | 'front-loaded' | 'back-loaded' | 'random' | 'bursts' | 'slow-last' | 'stall' | 'jumps' | 'cut-short'
export const SHAPES: Record<Shape, string>
export function seededRandom(seed: number): () => number
export function caseEnds(shape: Shape, run: { cases: number; durationMs: number; seed?: number }): number[]
export function finishedBy(ends: number[], elapsedMs: number): number
