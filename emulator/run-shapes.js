// How the cases of a test run finish over its length: given a shape, a case count, a length and a
// seed, the finish time of every case. Pure and dependency-free, so that the benchmark's virtual
// runs and the emulator's test runs can share the very same shapes.

/** @typedef {'even' | 'front-loaded' | 'back-loaded' | 'random' | 'bursts' | 'slow-last' | 'stall' | 'jumps' | 'cut-short'} Shape */

/** Every shape, with what it stands for. @type {Record<Shape, string>} */
export const SHAPES = {
  even: 'every case takes about as long as the others',
  'front-loaded': 'half the cases finish in the first 20% of the run, the rest evenly after',
  'back-loaded': 'half the cases take the first 80% of the run, the rest finish in the last 20%',
  random: 'case lengths drawn from an exponential distribution',
  bursts: 'cases run four at a time in parallel, each group finishing together',
  'slow-last': 'the last case alone takes half the run',
  stall: 'cases finish evenly, but nothing finishes for the middle 40% of the run',
  jumps: 'the count jumps by 2–6 cases at once at uneven moments (a server that reports in batches)',
  'cut-short': 'cases finish evenly until a moment the count does not foretell, when all the cases left finish at once (more ran side by side than the count showed)'
}

/** Deterministic PRNG (mulberry32): the same seed gives the same run. @param {number} seed */
export function seededRandom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Finish times of `cases` cases one after another, from their relative lengths, scaled so that the
 * last one ends at `durationMs`. @param {number[]} weights @param {number} durationMs
 */
function sequential(weights, durationMs) {
  const sum = weights.reduce((a, b) => a + b, 0)
  let elapsed = 0
  return weights.map((weight, index) => {
    elapsed += weight
    return index === weights.length - 1 ? durationMs : Math.round((elapsed / sum) * durationMs)
  })
}

/** Groups of `sizes` cases, each group's cases finishing together, groups one after another. */
function grouped(sizes, weights, durationMs) {
  const ends = sequential(weights, durationMs)
  return sizes.flatMap((size, index) => Array(size).fill(ends[index]))
}

/**
 * When each case of a run finishes, in ms after the run started, ascending; the last is `durationMs`.
 * Apart from `random`, cases vary ±10% around the shape, so seeded repetitions differ.
 * @param {Shape} shape
 * @param {{ cases: number, durationMs: number, seed?: number }} run
 * @returns {number[]}
 */
export function caseEnds(shape, { cases, durationMs, seed = 1 }) {
  if (!(shape in SHAPES)) throw new Error(`unknown run shape ${shape}`)
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`a run needs a whole number of cases, not ${cases}`)
  if (!(durationMs > 0)) throw new Error(`a run needs a positive length, not ${durationMs}`)
  const next = seededRandom(seed)
  const jitter = () => 0.9 + 0.2 * next()
  const half = Math.floor(cases / 2)
  const split = (first, share) => [
    ...Array.from({ length: first }, () => (share / first) * jitter()),
    ...Array.from({ length: cases - first }, () => ((1 - share) / (cases - first)) * jitter())
  ]
  switch (shape) {
    case 'even':
      return sequential(Array.from({ length: cases }, jitter), durationMs)
    case 'front-loaded':
      return half === 0 ? [durationMs] : sequential(split(half, 0.2), durationMs)
    case 'back-loaded':
      return half === 0 ? [durationMs] : sequential(split(half, 0.8), durationMs)
    case 'random':
      return sequential(Array.from({ length: cases }, () => -Math.log(1 - next())), durationMs)
    case 'slow-last':
      return cases === 1 ? [durationMs] : sequential(split(cases - 1, 0.5), durationMs)
    case 'stall': {
      // The case that spans the stall takes the 40% on top of its own share.
      const weights = Array.from({ length: cases }, () => (0.6 / cases) * jitter())
      weights[Math.floor(cases / 2)] += 0.4
      return sequential(weights, durationMs)
    }
    case 'bursts': {
      const sizes = Array.from({ length: Math.ceil(cases / 4) }, (_, index) => Math.min(4, cases - index * 4))
      return grouped(sizes, sizes.map(jitter), durationMs)
    }
    case 'jumps': {
      const sizes = []
      for (let left = cases; left > 0; left -= sizes[sizes.length - 1]) sizes.push(Math.min(left, 2 + Math.floor(next() * 5)))
      // A batch's wait is uneven: from a third to twice its share.
      return grouped(sizes, sizes.map((size) => size * (1 / 3 + (5 / 3) * next())), durationMs)
    }
    case 'cut-short': {
      // An even run cut at any moment of the length it was going to take: the cases left end at the cut.
      const share = 1 - next()
      return sequential(Array.from({ length: cases }, jitter), durationMs / share).map((end) => Math.min(end, durationMs))
    }
  }
  throw new Error(`unknown run shape ${shape}`)
}

/**
 * How many cases of the run have finished `elapsedMs` after it started.
 * @param {number[]} ends from caseEnds @param {number} elapsedMs
 */
export function finishedBy(ends, elapsedMs) {
  let low = 0
  let high = ends.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (ends[middle] <= elapsedMs) low = middle + 1
    else high = middle
  }
  return low
}
