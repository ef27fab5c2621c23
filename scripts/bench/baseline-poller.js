// The baseline the action is compared against: a fixed-interval poller, as PolyAI's own CLI
// waits on test runs. Every 5 s it reads every run that has not finished yet, whatever the run's
// progress says. To be a fair opponent at scale it is well-behaved otherwise: at most
// `concurrency` requests in flight, and a 429 waits out its Retry-After and asks again.
// It runs inside the benchmark's process, against the same emulator scenario as the action; its
// requests are counted the same way, from the emulator's request log.

const FINISHED = new Set(['completed', 'passed', 'failed', 'cancelled', 'timed_out'])
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * Publishes the draft (the same single deployment call the action makes) and waits on the runs it triggered.
 * `phaseMs` delays the first poll: where the runs' ends fall in the fixed 5 s grid alone decides how
 * late the baseline is, so the benchmark varies it across repetitions instead of letting durations
 * that are multiples of 5 s make it look punctual.
 * @param {{ baseUrl: string, apiKey: string, agentId: string, intervalMs?: number, concurrency?: number, phaseMs?: number }} options
 */
export async function baselinePublishAndWait(options) {
  const { baseUrl, apiKey, agentId } = options
  const response = await request(`${baseUrl}/v1/agents/${encodeURIComponent(agentId)}/deployments/publish`, apiKey, {
    method: 'POST',
    body: JSON.stringify({ environment: 'sandbox', deploymentMessage: 'benchmark baseline' })
  })
  if (response.status !== 201) throw new Error(`baseline publish failed: HTTP ${response.status} ${JSON.stringify(response.body)}`)
  const testRunIds = /** @type {string[]} */ (response.body.testRunIds ?? [])
  if (options.phaseMs) await sleep(options.phaseMs)
  return { testRunIds, ...(await baselineWait(testRunIds, options)) }
}

/**
 * Polls every unfinished run every `intervalMs` until all have finished.
 * @param {string[]} testRunIds
 * @param {{ baseUrl: string, apiKey: string, agentId: string, intervalMs?: number, concurrency?: number }} options
 * @returns {Promise<{ verdict: 'passed' | 'failed', verdictAt: number, runs: Map<string, any>, throttledSeen: number }>}
 */
export async function baselineWait(testRunIds, options) {
  const { baseUrl, apiKey, agentId, intervalMs = 5000, concurrency = 10 } = options
  const runs = new Map()
  let pending = [...testRunIds]
  let throttledSeen = 0

  const readOne = async (id) => {
    for (;;) {
      const url = `${baseUrl}/v1/agents/${encodeURIComponent(agentId)}/testing/test-runs/${encodeURIComponent(id)}`
      let response
      try {
        response = await request(url, apiKey)
      } catch {
        return // a network error: try again next tick
      }
      if (response.status === 429) {
        throttledSeen += 1
        await sleep(1000 * Number(response.headers.get('retry-after') ?? 1))
        continue
      }
      if (response.status === 200 && FINISHED.has(response.body.status)) runs.set(id, response.body)
      return
    }
  }

  for (;;) {
    const tickStart = Date.now()
    const queue = [...pending]
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) await readOne(id)
    }))
    pending = pending.filter((id) => !runs.has(id))
    if (pending.length === 0) break
    await sleep(tickStart + intervalMs - Date.now())
  }
  const verdictAt = Date.now()
  const passed = [...runs.values()].every((run) =>
    (run.status === 'completed' || run.status === 'passed') && run.failedCount === 0 && run.errorCount === 0)
  return { verdict: passed ? 'passed' : 'failed', verdictAt, runs, throttledSeen }
}

/** @param {string} url @param {string} apiKey @param {RequestInit} [init] */
async function request(url, apiKey, init = {}) {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json', accept: 'application/json' }
  })
  const text = await response.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { status: response.status, headers: response.headers, body }
}
