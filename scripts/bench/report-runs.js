// The measured parts of docs/benchmarks.md: start-up over TLS, and real waits through the bundle
// against the emulator, with the virtual clock's figures for the same runs beside them.
import { fmt, formatBytes, median, spread } from './stats.js'
import { CREATED_BEFORE_MS, ROUND_TRIP_MS } from './matrix.js'
import { replayable } from './fake-api.js'

const sec = (values, digits = 2) => spread(values.map((ms) => ms / 1000), digits)
const max = (values) => Math.max(...values.filter(Number.isFinite))

/** @param {any} startup @param {(...lines: string[]) => void} push */
export function renderStartup(startup, push) {
  push('## Start-up over TLS', '')
  push('Wall time from spawn to exit, run from the repository. The step commands run `operation: active` for real against the emulator',
    'behind https (a throwaway certificate for localhost, trusted through `NODE_EXTRA_CA_CERTS`): inputs from `INPUT_*`, one GET,',
    'outputs and summary written. The **floor** is a dependency-free script doing exactly that; the **peer** is the same step on',
    '`@actions/core` and `@actions/http-client`, bundled with ncc as most actions are. The `import` rows load one part alone.', '')
  push('| command | median | IQR | min–max | over bare node | over the floor |', '|---|---|---|---|---|---|')
  for (const row of startup.rows) {
    const st = row.stats
    const signed = (ms) => `${ms >= 0 ? '+' : ''}${fmt(ms)} ms`
    push(`| ${row.label} | ${fmt(st.median)} ms | ${fmt(st.q1)}–${fmt(st.q3)} ms | ${fmt(st.min)}–${fmt(st.max)} ms | ${row.name === 'bare' ? '—' : signed(row.overBareMs)} | ${['bare', 'floor'].includes(row.name) || row.name.startsWith('@') || row.name.startsWith('node:') ? '—' : signed(row.overFloorMs)} |`)
  }
  push('')
  const by = Object.fromEntries(startup.rows.map((row) => [row.name, row]))
  const core = by['@actions/core']
  push(`Per-round ratios over the floor (each round's runs side by side): bundle ${spread(startup.overFloor.bundle, 2)}, peer ${spread(startup.overFloor.peer, 2)}.`, '')
  if (by.bundle && by.peer && core) {
    const ratio = by.bundle.stats.median / by.peer.stats.median
    push(`Part by part over the floor: the bundle costs ${fmt(by.bundle.overFloorMs)} ms more than the floor, the peer ${fmt(by.peer.overFloorMs)} ms;`,
      `\`@actions/core\` alone costs ${fmt(core.overBareMs)} ms to load here, \`@actions/http-client\` ${fmt(by['@actions/http-client']?.overBareMs)} ms and \`node:https\` ${fmt(by['node:https']?.overBareMs)} ms (each unbundled, over a bare node).`,
      `The bundle speaks to the runner through \`@actions/core\`, so its real cost is in the bundle's row: the bundle is ${fmt(ratio, 2)}× the peer,`,
      `against the goal of ≤ 1.10× (${ratio <= 1.1 ? 'met' : 'not met'}).`, '')
  }
  const failures = Object.entries(startup.failures)
  if (failures.length) {
    push('**Failed runs (not counted):**', '')
    for (const [name, detail] of failures) push(`- ${name}: ${detail}`)
    push('')
  }
  push('What `dist/` holds:', '', '| file | size |', '|---|---|')
  for (const file of startup.dist) push(`| \`${file.path}\` | ${formatBytes(file.bytes)} |`)
  push(`| total | ${formatBytes(startup.dist.reduce((sum, file) => sum + file.bytes, 0))} |`, '')
}

/** @param {any[]} waits @param {{ iqrMs: [number, number], samples: number }} trips the replay's round trips @param {any} settings @param {(...lines: string[]) => void} push */
export function renderWaits(waits, trips, settings, push) {
  push('## Real waits through the bundle', '')
  push('Each repetition starts a fresh emulator whose test runs report their cases one by one, makes one deployment call that triggers',
    'all the runs, and waits on them: the action as a child process (`operation: publish`, default `poll-interval`), the fixed 5 s',
    'baseline inside the benchmark. Everything is read from the emulator: its request log, its 429 count, when each run ends (`runFinishesAt`: real runs carry no finish time).',
    'The **virtual clock** column runs the same runs (cases evenly spaced, or where the scenario\'s shape puts them, from `emulator/run-shapes.js` as the emulator does) through the compiled',
    'poller, to show that the simulation holds. Its runs start as long before the wait as the emulator\'s did before the action\'s first',
    `poll (less the schedule's first delay; the matrix assumes ${CREATED_BEFORE_MS} ms): when polls land decides what they see, so the phase must match.`,
    `For the same reason its round trips are the emulator's on this machine (IQR ${fmt(trips.iqrMs[0], 1)}–${fmt(trips.iqrMs[1], 1)} ms over ${trips.samples} polls measured before the waits), not the matrix's ${ROUND_TRIP_MS[0]}–${ROUND_TRIP_MS[1]} ms. Its API has no rate limit, so the rate-limited wait is not replayed.`, '')
  push('| scenario | poller | verdict latency (s) | polls per run, median | all run polls | 429s | virtual clock: polls, lag (s) | correct |', '|---|---|---|---|---|---|---|---|')
  for (const entry of waits) {
    for (const poller of ['action', 'baseline']) {
      const reps = entry[poller]
      if (!reps.length) continue
      const sim = poller === 'action' && !replayable(entry.scenario)
        ? '— (no rate limit on the virtual clock)'
        : poller === 'action' && entry.simulated?.length
        ? `${spread(entry.simulated.map((r) => r.polls))}, ${sec(entry.simulated.map((r) => r.lagMs))}; runs ${Math.round(entry.createdBeforeMs)} ms before the wait`
        : '—'
      push(`| ${entry.scenario.name} | ${poller === 'action' ? 'action' : `baseline (every ${settings.baselineIntervalMs / 1000} s)`} | ${sec(reps.map((r) => r.latencyMs))} (worst ${fmt(max(reps.map((r) => r.latencyMs)) / 1000, 2)}) | ` +
        `${spread(reps.map((r) => median(r.pollCounts)), 1)} | ${spread(reps.map((r) => r.runPolls))} | ${spread(reps.map((r) => r.throttled))} | ${sim} | ${reps.filter((r) => r.correct).length}/${reps.length} |`)
    }
  }
  push('')
  const incorrect = waits.flatMap((entry) => [...entry.action, ...entry.baseline].filter((r) => !r.correct).map((r) => `${entry.scenario.name}, ${r.poller}: ${r.detail}`))
  if (incorrect.length) {
    push('**Incorrect or failed waits:**', '')
    for (const line of incorrect) push(`- ${line}`)
    push('')
  }
  const rss = waits.flatMap((entry) => entry.action.map((r) => r.peakRssKb)).filter(Number.isFinite)
  if (rss.length) push(`Peak RSS of the step, all scenarios: up to ${fmt(max(rss) / 1024)} MiB.`, '')
  push('- **verdict latency**: when the step\'s process exited (the baseline: when it had seen every run finished) minus the moment the last',
    '  run finished on the server; for the action it includes writing the outputs and the summary, and exiting. The virtual clock\'s lag',
    '  stops at the verdict, before any of that.',
    '- **polls**: `GET …/testing/test-runs/{id}` requests, counted in the emulator\'s log, throttled ones included.', '')
}
