// The README's first command: runs the bundled action exactly as a runner does against the local
// emulator, through publish → tests → promote to pre-release → promote to live, then a gate that
// fails and rolls back, and shows what happened at each step.
import { startEmulator } from '../emulator/server.js'
import { runAction } from './run-action.js'

const AGENT = 'agent-demo'
const API_KEY = 'demo-key-not-a-secret'
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

const emulator = await startEmulator({
  apiKey: API_KEY,
  agents: { [AGENT]: { draftVersion: 'v1-3f9c2e1a', testPlan: { all: { runs: 3, cases: 4, caseMs: 250 } } } }
})
const github = {
  GITHUB_REPOSITORY: 'acme/support-agent',
  GITHUB_SHA: '3f9c2e1a7d5b4c3e2f1a0b9c8d7e6f5a4b3c2d1e',
  GITHUB_REF_NAME: 'main',
  GITHUB_RUN_ID: '4242',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_ACTOR: 'octocat',
  GITHUB_EVENT_NAME: 'push'
}

async function step(title, inputs) {
  console.log(`\n${bold(`━━ ${title}`)}`)
  const shown = Object.entries(inputs).map(([name, value]) => `${name}: ${value}`).join(', ')
  console.log(`with: ${shown}\n`)
  const result = await runAction(
    { 'api-key': API_KEY, 'agent-id': AGENT, 'base-url': emulator.url, 'poll-interval': '1s', ...inputs },
    { env: github }
  )
  const log = result.stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('::debug::') && !line.startsWith('::add-mask::'))
  console.log(log.map((line) => `  │ ${line}`).join('\n'))
  console.log(`\n${bold('Outputs')}`)
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name} = ${value}`)
  console.log(`\n${bold('Job summary')}\n${result.summary.trim()}`)
  console.log(`\n${bold(`Step ${result.code === 0 ? 'passed' : 'FAILED'}`)} (exit code ${result.code}, ${(result.durationMs / 1000).toFixed(1)}s)`)
  return result
}

try {
  await step('Merge to main: publish the draft to sandbox and gate on its tests', { operation: 'publish' })
  await step('Tag v1: promote sandbox to pre-release once its tests passed', { operation: 'promote', environment: 'pre-release' })
  await step('Approval: promote pre-release to live', { operation: 'promote', environment: 'live' })
  await step('Where things stand', { operation: 'active' })

  // A new draft whose sandbox tests fail: the gate stops it and returns sandbox to v1.
  emulator.setDraft(AGENT, 'v2-8a7b6c5d')
  emulator.configureAgent(AGENT, { testPlan: { sandbox: { runs: 2, cases: 4, caseMs: 250, outcome: 'fail', failRuns: [1] } } })
  const failed = await step('A broken change: publish v2, its tests fail, sandbox rolls back', {
    operation: 'publish',
    'rollback-on-failure': 'true'
  })
  const sandbox = emulator.active(AGENT).sandbox
  console.log(`\nThat last step failed on purpose: the gate stopped v2, sandbox runs ${sandbox?.version} again, and live still runs ${emulator.active(AGENT).live?.version}.`)
  const deployments = emulator.writes().length
  console.log(`The emulator saw ${emulator.requests.length} requests, ${deployments} deployments created, ${emulator.contractViolations.length} contract violations.`)
  if (failed.code === 0 || emulator.contractViolations.length > 0) process.exitCode = 1
} finally {
  await emulator.close()
}
