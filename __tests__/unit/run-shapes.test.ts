import { describe, it, expect } from '@jest/globals'
import { caseEnds, SHAPES, type Shape } from '../../emulator/run-shapes.js'

// The shapes the benchmark and the emulator share: what every one keeps, and what cut-short is.

describe('every run shape', () => {
  const shapes = Object.keys(SHAPES) as Shape[]
  it.each(shapes)('%s: one end per case, ascending, the last at the run\'s length, the same for the same seed', (shape) => {
    for (const cases of [1, 4, 12, 100]) {
      for (const seed of [1, 2, 3]) {
        const ends = caseEnds(shape, { cases, durationMs: 60_000, seed })
        expect(ends).toHaveLength(cases)
        ends.forEach((end, index) => expect(end).toBeGreaterThanOrEqual(index ? ends[index - 1] : 0))
        expect(ends[cases - 1]).toBe(60_000)
        expect(caseEnds(shape, { cases, durationMs: 60_000, seed })).toEqual(ends)
      }
    }
  })
})

describe('cut-short', () => {
  const runs = Array.from({ length: 40 }, (_, seed) => caseEnds('cut-short', { cases: 30, durationMs: 60_000, seed: seed + 1 }))

  it('is an even run until the cut, and the cases left all end at the cut', () => {
    for (const ends of runs) {
      const before = ends.filter((end) => end < 60_000)
      // Even cases vary ±10%, so two in a row differ by at most 1.1/0.9 (and a millisecond of rounding).
      for (let index = 1; index < before.length; index++) {
        const [gap, previous] = [before[index] - before[index - 1], before[index - 1] - (before[index - 2] ?? 0)]
        expect(gap).toBeLessThanOrEqual((1.1 / 0.9) * previous + 2)
        expect(gap).toBeGreaterThanOrEqual((0.9 / 1.1) * previous - 2)
      }
      expect(ends.slice(before.length).every((end) => end === 60_000)).toBe(true)
    }
  })

  it('is cut anywhere in its length: some runs with most of their cases left, some with few', () => {
    const left = runs.map((ends) => ends.filter((end) => end === 60_000).length)
    expect(Math.max(...left)).toBeGreaterThan(20)
    expect(Math.min(...left)).toBeLessThan(5)
  })
})
