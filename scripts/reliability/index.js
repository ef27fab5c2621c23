// `npm run reliability`: every fault scenario, a sweep of hostile inputs and real cancellations, all
// against the bundled action; writes the figures to docs/reliability.md. Exits non-zero on any problem.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { startEmulator } from '../../emulator/server.js'
import { runAction } from '../run-action.js'
import { hostileInputSets, tryInputs } from './hostile-inputs.js'
import { API_KEY, keyLeaks, runScenario } from './run-scenario.js'
import { scenarios } from './scenarios.js'

const HOSTILE_RUNS = Number(process.env.HOSTILE_RUNS ?? 200)
const started = Date.now()
const rows = []

for (const scenario of scenarios) {
  const outcome = await runScenario(scenario)
  rows.push(outcome)
  console.log(`${outcome.problems.length === 0 ? 'survived' : 'FAILED  '} ${scenario.name}${outcome.problems.length ? `: ${outcome.problems.join('; ')}` : ''}`)
}

const cancellations = []
for (const signal of ['SIGINT', 'SIGTERM']) cancellations.push(await cancelOnce(signal))

const emulator = await startEmulator({ apiKey: API_KEY })
const hostile = { tried: 0, reachedApi: 0, problems: [] }
for (const inputs of hostileInputSets(HOSTILE_RUNS)) {
  const outcome = await tryInputs(emulator, inputs)
  hostile.tried++
  if (outcome.requests > 0) hostile.reachedApi++
  for (const problem of outcome.problems) hostile.problems.push(`${JSON.stringify(inputs)}: ${problem}`)
}
await emulator.close()
console.log(`hostile inputs: ${hostile.tried} tried, ${hostile.problems.length} problem(s)`)

/** A publish whose tests never end, cancelled by a real signal once it waits: how long until it exits. */
async function cancelOnce(signal) {
  const emulator = await startEmulator({ apiKey: API_KEY, agents: { 'agent-1': { testPlan: { all: { runs: 3, cases: 3, caseMs: 60, outcome: 'hang' } } } } })
  let sentAt = 0
  const result = await runAction(
    { 'api-key': API_KEY, 'agent-id': 'agent-1', 'base-url': emulator.url, operation: 'publish', 'poll-interval': '1s' },
    {
      onSpawn: (child) => {
        let seen = ''
        child.stdout.on('data', (chunk) => {
          seen += chunk
          if (!sentAt && seen.includes('Waiting for')) {
            sentAt = Date.now()
            child.kill(signal)
          }
        })
      }
    }
  )
  const exitedAfterMs = Date.now() - sentAt
  await emulator.close()
  const problems = []
  if (result.code === 0) problems.push('exited 0')
  if (!/Cancelled/.test(result.summary)) problems.push('no summary saying so')
  if (!result.outputs['deployment-id']) problems.push('no deployment-id output')
  if (keyLeaks(result, API_KEY) > 0) problems.push('the key leaked')
  console.log(`${signal}: exited ${exitedAfterMs} ms after the signal${problems.length ? `: ${problems.join('; ')}` : ''}`)
  return { signal, exitedAfterMs, problems }
}

const survived = rows.filter((row) => row.problems.length === 0).length
const duplicates = rows.reduce((sum, row) => sum + row.duplicates, 0)
const leaks = rows.reduce((sum, row) => sum + row.leaks, 0) + hostile.problems.filter((problem) => problem.includes('the key')).length
const cancelProblems = cancellations.flatMap((entry) => entry.problems)
const node = spawnSync(process.execPath, ['--version'], { encoding: 'utf8' }).stdout.trim()

const lines = [
  '# Reliability',
  '',
  `Written by \`npm run reliability\` on ${new Date().toISOString().slice(0, 10)} (Node ${node}, ${Math.round((Date.now() - started) / 1000)} s). Do not edit by hand.`,
  'Each fault is injected by the local emulator into a real HTTP exchange with the bundled `dist/index.js`,',
  'run as a GitHub runner runs it. The same scenarios run in the test suite (`__tests__/e2e/faults.test.ts`).',
  '',
  '| figure | value |',
  '|---|---|',
  `| faults injected | ${rows.length} |`,
  `| faults survived (every check held) | ${survived} |`,
  `| hostile input sets tried | ${hostile.tried} (${hostile.reachedApi} reached the API) |`,
  `| problems with hostile inputs | ${hostile.problems.length} |`,
  `| duplicate deployments found | ${duplicates} |`,
  `| key leaks found | ${leaks} |`,
  `| cancellations (real SIGINT and SIGTERM) | ${cancellations.length}, exiting ${cancellations.map((entry) => `${entry.exitedAfterMs} ms`).join(' and ')} after the signal |`,
  '',
  '## Fault scenarios',
  '',
  'For each: the exit code and outputs expected, no stack trace, no key in the log, summary or outputs,',
  'no output reading `undefined`, the emulator\'s contract check clean, and the deployments created counted.',
  '',
  '| kind | scenario | result | writes sent | deployments created | duplicates | key leaks |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.group} | ${row.name} | ${row.problems.length === 0 ? 'survived' : `**failed**: ${row.problems.join('; ')}`} | ${row.posts} | ${row.created} | ${row.duplicates} | ${row.leaks} |`),
  '',
  '## Hostile inputs',
  '',
  `${hostile.tried} input sets generated by fast-check (fixed seed) mix IDs with \`..\`, \`/\`, \`%\`, \`?\`, \`#\`, control`,
  'characters, bidi marks, long strings and binary text with bad operations, environments, durations and',
  'booleans. Each run must exit 0 or 1 with an error line when it fails, print no stack trace and no key,',
  'fail on an input error before any request, and keep `agent-id` one path segment in every request.',
  '',
  hostile.problems.length === 0 ? 'No problems found.' : hostile.problems.map((problem) => `- ${problem}`).join('\n'),
  ''
]
// The chaos run's section (npm run chaos) is its own: kept as it was.
const file = new URL('../../docs/reliability.md', import.meta.url)
const chaos = existsSync(file) ? (/<!-- chaos:start -->[\s\S]*<!-- chaos:end -->/.exec(readFileSync(file, 'utf8'))?.[0] ?? '') : ''
writeFileSync(file, chaos ? `${lines.join('\n').trimEnd()}\n\n${chaos}\n` : lines.join('\n'))
console.log('wrote docs/reliability.md')
if (survived < rows.length || duplicates > 0 || leaks > 0 || hostile.problems.length > 0 || cancelProblems.length > 0) process.exitCode = 1
