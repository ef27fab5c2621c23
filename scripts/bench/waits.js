// Verdict latency and requests: the action (dist/index.js, operation: publish)
// and the fixed-interval baseline each wait on the same emulator scenario, a fresh emulator each
// time; everything is measured from the emulator's side (its request log, its 429 count, the
// runs' finish times, from the emulator) so both are counted the same way.
import { startEmulator } from '../../emulator/server.js'
import { baselinePublishAndWait } from './baseline-poller.js'
import { runStep } from './step.js'

const AGENT = 'agent-bench'
const API_KEY = 'bench-key-not-a-secret'
const RUN_PATH = /\/testing\/test-runs\/([^/]+)$/

/** n durations spread evenly from `fromMs` to `toMs`. */
export function spreadDurations(n, fromMs, toMs) {
  if (n === 1) return [toMs]
  return Array.from({ length: n }, (_, index) => Math.round(fromMs + ((toMs - fromMs) * index) / (n - 1)))
}

/**
 * One wait by one poller on a fresh emulator.
 * @param {{ runs: number, cases: number, durationsMs: number[], rateLimit?: number, shape?: import('../../emulator/run-shapes.js').Shape }} scenario
 * @param {'action' | 'baseline'} poller
 * @param {{ node: string, pollInterval?: string, measureRss: boolean, baselinePhaseMs?: number }} options (no pollInterval: the action's default)
 */
export async function measureWait(scenario, poller, options) {
  const emulator = await startEmulator({
    apiKey: API_KEY,
    rateLimit: scenario.rateLimit ? { perSecond: scenario.rateLimit } : undefined,
    agents: { [AGENT]: { testPlan: { all: { runs: scenario.runs, cases: scenario.cases, durationsMs: scenario.durationsMs, shape: scenario.shape } } } }
  })
  try {
    let endedAt
    let testRunIds
    let correct
    let peakRssKb = NaN
    let detail = ''
    if (poller === 'action') {
      const result = await runStep(
        { 'api-key': API_KEY, 'agent-id': AGENT, 'base-url': emulator.url, operation: 'publish', 'poll-interval': options.pollInterval, timeout: '20m' },
        { node: options.node, measureRss: options.measureRss }
      )
      endedAt = result.exitedAt
      peakRssKb = result.peakRssKb
      testRunIds = safeJson(result.outputs['test-run-ids']) ?? []
      correct = result.code === 0 && result.outputs['tests-result'] === 'passed' &&
        Number(result.outputs['tests-total']) === scenario.runs * scenario.cases && testRunIds.length === scenario.runs
      if (!correct) detail = `exit ${result.code}, tests-result=${result.outputs['tests-result']}, tests-total=${result.outputs['tests-total']}, ${testRunIds.length} ids; ${lastLines(result.stdout + result.stderr)}`
    } else {
      const result = await baselinePublishAndWait({ baseUrl: emulator.url, apiKey: API_KEY, agentId: AGENT, intervalMs: 5000, phaseMs: options.baselinePhaseMs })
      endedAt = result.verdictAt
      testRunIds = result.testRunIds
      correct = result.verdict === 'passed' && testRunIds.length === scenario.runs
      if (!correct) detail = `verdict ${result.verdict}, ${testRunIds.length} ids`
    }

    // The server's side of the story.
    // Runs carry no finish time, as the platform's do: the emulator says when each one ends (its clock is the bench's).
    const runs = testRunIds.map((id) => emulator.testRun(AGENT, id)).filter(Boolean)
    const finishOf = (run) => emulator.runFinishesAt(AGENT, run.id) ?? NaN
    const unfinished = runs.filter((run) => !(finishOf(run) <= Date.now())).length
    const createdAt = Math.min(...runs.map((run) => Date.parse(run.startedAt)))
    const finishedAts = runs.map(finishOf)
    const lastFinishedAt = Math.max(...finishedAts)
    /** @type {Map<string, { at: number, status: number | null }[]>} */
    const pollsById = new Map(testRunIds.map((id) => [id, []]))
    for (const entry of emulator.requests) {
      const match = entry.method === 'GET' ? RUN_PATH.exec(entry.path) : null
      if (match) pollsById.get(decodeURIComponent(match[1]))?.push({ at: entry.at, status: entry.status })
    }
    const pollCounts = testRunIds.map((id) => pollsById.get(id)?.length ?? 0)
    // Per run: how long after it finished the first successful read saw it finished.
    const detectLags = runs.map((run) => {
      const finished = finishOf(run)
      const seen = (pollsById.get(run.id) ?? []).find((poll) => poll.status === 200 && poll.at >= finished)
      return seen ? seen.at - finished : NaN
    })
    const lastPollAt = Math.max(...[...pollsById.values()].flat().map((poll) => poll.at))
    const firstPollAt = Math.min(...[...pollsById.values()].flat().map((poll) => poll.at))
    const maxDurationMs = Math.max(...scenario.durationsMs)
    // The floor: the slowest run, plus the time the rate limit needs to read every run once.
    const floorMs = maxDurationMs + (scenario.rateLimit ? (scenario.runs / scenario.rateLimit) * 1000 : 0)
    // A tighter one: a perfect reader that reads each run the moment it ends, as fast as the limit allows.
    let tightFloorMs = 0
    for (const duration of [...scenario.durationsMs].sort((a, b) => a - b)) {
      tightFloorMs = Math.max(duration, tightFloorMs + (scenario.rateLimit ? 1000 / scenario.rateLimit : 0))
    }
    return {
      poller,
      correct: correct && unfinished === 0 && emulator.contractViolations.length === 0,
      detail: [detail, unfinished ? `${unfinished} runs unfinished at the end` : '', ...emulator.contractViolations.slice(0, 2)].filter(Boolean).join('; '),
      latencyMs: endedAt - lastFinishedAt,
      lastPollLagMs: lastPollAt - lastFinishedAt,
      exitAfterLastPollMs: endedAt - lastPollAt,
      detectLags,
      waitMs: endedAt - createdAt,
      // How long after the runs were created the first poll came: the virtual clock starts its runs as far back.
      firstPollAfterMs: firstPollAt - createdAt,
      floorMs,
      tightFloorMs,
      pollCounts,
      runPolls: pollCounts.reduce((a, b) => a + b, 0),
      totalRequests: emulator.requests.length,
      throttled: emulator.throttled,
      peakRssKb
    }
  } finally {
    await emulator.close()
  }
}

/**
 * Round trips of the poll request to a fresh emulator on this machine, one after another, in ms,
 * ascending: the virtual clock's replay of the real waits takes its round trips from them.
 * @param {number} [samples]
 */
export async function loopbackRoundTrips(samples = 40) {
  const emulator = await startEmulator({ apiKey: API_KEY, agents: { [AGENT]: { testPlan: { all: { runs: 1, cases: 4, durationsMs: [60_000] } } } } })
  try {
    const headers = { 'X-API-KEY': API_KEY }
    const published = await fetch(`${emulator.url}/v1/agents/${AGENT}/deployments/publish`, { method: 'POST', headers })
    const [runId] = (await published.json()).testRunIds
    const trips = []
    // One uncounted warm-up, as the action's first poll follows the publish on an open connection.
    for (let index = 0; index <= samples; index++) {
      const sentAt = performance.now()
      const answer = await fetch(`${emulator.url}/v1/agents/${AGENT}/testing/test-runs/${runId}`, { headers })
      await answer.arrayBuffer()
      if (index) trips.push(performance.now() - sentAt)
    }
    return trips.sort((a, b) => a - b)
  } finally {
    await emulator.close()
  }
}

/** @param {string | undefined} text */
function safeJson(text) {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

/** @param {string} text */
function lastLines(text) {
  return text.trim().split('\n').filter((line) => !line.startsWith('::debug::')).slice(-3).join(' | ')
}
