// `npm run chaos -- --seed N --runs K`: K gates, each a reproducible mix of faults drawn from seed N+i,
// run through the bundle against the emulator, every invariant checked after each; then the killed
// and re-run steps, and the skewed clocks. Writes the figures into docs/reliability.md (its chaos
// section) unless --no-write. Exits non-zero on any violation, printing the command that replays it.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { runGate } from './gate.js'
import { KILL_CASES, killAndRerun } from './killed.js'
import { FAULT_KINDS, planGate, RUN_ENDING_KINDS } from './plan.js'

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '300' },
    'no-write': { type: 'boolean', default: false },
    'no-kills': { type: 'boolean', default: false }
  }
})
const seed = Number(args.seed)
const runs = Number(args.runs)
const started = Date.now()
const faultsByKind = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0]))
const endings = Object.fromEntries(RUN_ENDING_KINDS.map((kind) => [kind, 0]))
const byOperation = {}
const violations = []
let passed = 0
let longestMs = 0

for (let index = 0; index < runs; index++) {
  const plan = planGate(seed + index)
  const { result, problems } = await runGate(plan, { checkTime: true })
  for (const { kind } of plan.faults) faultsByKind[kind]++
  endings[plan.runEnding]++
  byOperation[plan.operation] = (byOperation[plan.operation] ?? 0) + 1
  if (result.code === 0) passed++
  longestMs = Math.max(longestMs, result.durationMs)
  if (problems.length > 0) {
    violations.push({ seed: plan.seed, problems })
    console.log(`VIOLATION seed ${plan.seed} (${plan.operation}): ${problems.join('; ')}\n  replay: npm run chaos -- --seed ${plan.seed} --runs 1 --no-write`)
  } else if ((index + 1) % 25 === 0) console.log(`${index + 1}/${runs} gates, no violation`)
}

const kills = []
if (!args['no-kills']) {
  for (const killCase of KILL_CASES) {
    const problems = await killAndRerun(killCase)
    kills.push({ ...killCase, problems })
    console.log(`${problems.length === 0 ? 'held   ' : 'VIOLATED'} killed ${killCase.operation} ${killCase.point} (tests ${killCase.outcome})${problems.length ? `: ${problems.join('; ')}` : ''}`)
  }
}

const killViolations = kills.filter((kill) => kill.problems.length > 0).length
console.log(`${runs} gates (${passed} passed, ${runs - passed} failed as they should or could), ${violations.length} violation(s); ${kills.length} killed steps, ${killViolations} violation(s)`)
if (!args['no-write']) writeReport()
process.exitCode = violations.length + killViolations > 0 ? 1 : 0

function writeReport() {
  const file = new URL('../../docs/reliability.md', import.meta.url)
  const section = [
    '<!-- chaos:start -->',
    '## Chaos: mixed faults, killed runners, skewed clocks',
    '',
    `Written by \`npm run chaos -- --seed ${seed} --runs ${runs}\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s). Do not edit by hand.`,
    'Each gate draws from its seed an operation, the platform\'s mode (which calls trigger runs, where merges land,',
    'simplified deployments), how its runs end, the server\'s clock (up to 10 minutes either way, and a jump), and up',
    'to three faults; after each, the invariants are checked against the emulator\'s own state (`scripts/chaos/invariants.js`).',
    '',
    '| figure | value |',
    '|---|---|',
    `| gates run | ${runs} (${Object.entries(byOperation).map(([operation, count]) => `${operation} ${count}`).join(', ')}) |`,
    `| gates that passed / failed | ${passed} / ${runs - passed} |`,
    `| faults injected | ${Object.values(faultsByKind).reduce((sum, count) => sum + count, 0)} |`,
    `| longest step | ${(longestMs / 1000).toFixed(1)} s (timeout 6 s, request-timeout 2 s) |`,
    `| invariant violations | ${violations.length} |`,
    `| killed and re-run steps | ${kills.length}, ${killViolations} violation(s) |`,
    '',
    '| fault kind | injected |',
    '|---|---|',
    ...Object.entries(faultsByKind).map(([kind, count]) => `| ${kind} | ${count} |`),
    '',
    '| how the runs ended | gates |',
    '|---|---|',
    ...Object.entries(endings).map(([kind, count]) => `| ${kind} | ${count} |`),
    '',
    ...(kills.length > 0
      ? ['| killed (SIGKILL), then run again | at | tests | result |', '|---|---|---|---|',
          ...kills.map((kill) => `| ${kill.operation} | ${kill.point} | ${kill.outcome} | ${kill.problems.length === 0 ? 'one deployment, right verdict' : kill.problems.join('; ')} |`), '']
      : []),
    '<!-- chaos:end -->'
  ].join('\n')
  const text = readFileSync(file, 'utf8')
  const kept = text.replace(/\n*<!-- chaos:start -->[\s\S]*<!-- chaos:end -->\n?/, '')
  writeFileSync(file, `${kept.trimEnd()}\n\n${section}\n`)
}
