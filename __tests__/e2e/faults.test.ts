import { describe, it } from '@jest/globals'
import { scenarios } from '../../scripts/reliability/scenarios.js'
import { expectSurvives } from './harness.js'

// Every fault the emulator can inject, against the bundled action: survived, never duplicated, no key leaked.
// The scenarios that wait long (a minute of failed polls, a rollback watched before it is resent) run in slow-faults.test.ts, so the two files run side by side.
const quick = scenarios.filter((scenario) => !scenario.slow)

describe.each(['read', 'poll', 'write', 'answer'])('%s faults', (group) => {
  it.each(quick.filter((scenario) => scenario.group === group).map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    (_name, scenario) => expectSurvives(scenario),
    60_000
  )
})
