// The SVG chart the README shows: per shape, the action's polls as a share of the fixed 2 s
// poller's, and its verdict lag at p95, for the 60 s and 10-minute runs of 30 cases.
const WIDTH = 860
const HEIGHT = 360
const escape = (text) => String(text).replace(/[&<>]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[char])

/**
 * @param {{ shape: string, polls60: number, polls600: number, lag60: number, lag600: number }[]} rows
 *   polls as a share of the fixed 2 s poller's (0..1+), lag p95 in seconds
 */
export function renderChart(rows) {
  const out = []
  const panel = (x0, title, pick, max, format, limit, limitLabel) => {
    const top = 50
    const height = HEIGHT - 110
    const width = WIDTH / 2 - 60
    const band = width / rows.length
    out.push(`<text x="${x0 + width / 2}" y="30" text-anchor="middle" font-size="14" font-weight="bold">${escape(title)}</text>`)
    out.push(`<line x1="${x0}" y1="${top + height}" x2="${x0 + width}" y2="${top + height}" stroke="#444"/>`)
    for (let tick = 0; tick <= 4; tick++) {
      const value = (max * tick) / 4
      const y = top + height - (height * tick) / 4
      out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + width}" y2="${y}" stroke="#ddd"/><text x="${x0 - 6}" y="${y + 4}" text-anchor="end" font-size="10">${format(value)}</text>`)
    }
    const limitY = top + height - (height * Math.min(limit, max)) / max
    out.push(`<line x1="${x0}" y1="${limitY}" x2="${x0 + width}" y2="${limitY}" stroke="#c00" stroke-dasharray="4 3"/><text x="${x0 + width}" y="${limitY - 4}" text-anchor="end" font-size="10" fill="#c00">${escape(limitLabel)}</text>`)
    rows.forEach((row, index) => {
      const [a, b] = pick(row)
      const x = x0 + index * band
      const bar = (value, offset, color) => {
        const h = (height * Math.min(value, max)) / max
        out.push(`<rect x="${x + offset}" y="${top + height - h}" width="${band * 0.35}" height="${h}" fill="${color}"><title>${escape(`${row.shape}: ${format(value)}`)}</title></rect>`)
      }
      bar(a, band * 0.12, '#3b7dd8')
      bar(b, band * 0.5, '#f0a030')
      out.push(`<text x="${x + band / 2}" y="${top + height + 14}" text-anchor="end" font-size="10" transform="rotate(-35 ${x + band / 2} ${top + height + 14})">${escape(row.shape)}</text>`)
    })
  }
  const pollMax = Math.max(1, ...rows.flatMap((row) => [row.polls60, row.polls600]))
  panel(50, 'polls, share of a fixed 2 s poller\'s', (row) => [row.polls60, row.polls600], pollMax, (v) => `${Math.round(v * 100)}%`, 0.5, 'half')
  const lagMax = Math.max(4, ...rows.flatMap((row) => [row.lag60, row.lag600]))
  panel(WIDTH / 2 + 40, 'verdict lag, p95 (s)', (row) => [row.lag60, row.lag600], lagMax, (v) => v.toFixed(1), 2, '2 s')
  out.push(`<rect x="${WIDTH / 2 - 150}" y="${HEIGHT - 22}" width="12" height="12" fill="#3b7dd8"/><text x="${WIDTH / 2 - 134}" y="${HEIGHT - 12}" font-size="11">60 s run, 30 cases</text>`)
  out.push(`<rect x="${WIDTH / 2 + 10}" y="${HEIGHT - 22}" width="12" height="12" fill="#f0a030"/><text x="${WIDTH / 2 + 26}" y="${HEIGHT - 12}" font-size="11">10-minute run, 30 cases</text>`)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">\n` +
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>\n${out.join('\n')}\n</svg>\n`
}
