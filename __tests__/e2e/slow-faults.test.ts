import { it } from '@jest/globals'
import { scenarios } from '../../scripts/reliability/scenarios.js'
import { expectSurvives } from './harness.js'

// Faults that take a minute by design (a run unreadable for a minute of failed polls), in a file of
// their own so they run beside the other suites.
it.each(scenarios.filter((scenario) => scenario.slow).map((scenario) => [scenario.name, scenario] as const))(
  '%s',
  (_name, scenario) => expectSurvives(scenario),
  150_000
)
