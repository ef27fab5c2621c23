import type { Scenario } from './run-scenario.js'

export const scenarios: Scenario[]
