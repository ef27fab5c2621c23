import { describe, expect, it } from '@jest/globals'
import { runScenario } from '../../scripts/reliability/run-scenario.js'
import { scenarios } from '../../scripts/reliability/scenarios.js'
import { MACHINE_NODE } from './harness.js'

// Every fault the emulator can inject, against the bundled action: survived, never duplicated, no key leaked.
// The scenarios that wait out a minute run in slow-faults.test.ts, so the two files run side by side.
const quick = scenarios.filter((scenario) => !scenario.slow)

describe.each(['read', 'poll', 'write', 'answer'])('%s faults', (group) => {
  it.each(quick.filter((scenario) => scenario.group === group).map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_name, scenario) => {
      const outcome = await runScenario(scenario, { node: MACHINE_NODE })
      expect(outcome.problems).toEqual([])
      expect(outcome.duplicates).toBe(0)
      expect(outcome.leaks).toBe(0)
    },
    60_000
  )
})
