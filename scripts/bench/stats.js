// Small statistics and formatting helpers for the benchmark: medians and spreads, never means,
// since the machines these run on are noisy.

/** Sorted copy, numbers only. @param {number[]} values */
const sorted = (values) => values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)

/** The q-quantile (0..1) with linear interpolation. @param {number[]} values @param {number} q */
export function quantile(values, q) {
  const list = sorted(values)
  if (list.length === 0) return NaN
  const position = (list.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return list[low] + (list[high] - list[low]) * (position - low)
}

/** @param {number[]} values */
export const median = (values) => quantile(values, 0.5)

/** Median, quartiles and extremes of a sample. @param {number[]} values */
export function summary(values) {
  const list = sorted(values)
  return {
    n: list.length,
    median: median(list),
    q1: quantile(list, 0.25),
    q3: quantile(list, 0.75),
    min: list.length ? list[0] : NaN,
    max: list.length ? list[list.length - 1] : NaN
  }
}

/** A number with a fixed number of decimals, or 'n/a'. @param {number} value @param {number} [digits] */
export function fmt(value, digits = 0) {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
}

/**
 * "median (min–max)" for a handful of repetitions, "median (IQR q1–q3, min–max)" for more.
 * @param {number[]} values @param {number} [digits] @param {string} [unit]
 */
export function spread(values, digits = 0, unit = '') {
  const s = summary(values)
  if (s.n === 0) return 'n/a'
  if (s.n === 1) return `${fmt(s.median, digits)}${unit}`
  if (s.n < 5) return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`
  return `${fmt(s.median, digits)}${unit} (IQR ${fmt(s.q1, digits)}–${fmt(s.q3, digits)}, range ${fmt(s.min, digits)}–${fmt(s.max, digits)})`
}

/** Bytes as KiB/MiB. @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} B`
}
