import type { ActionResult } from '../run-action.js'

export const API_KEY: string

export interface ScenarioOutcome {
  name: string
  group: string
  problems: string[]
  duplicates: number
  leaks: number
  created: number
  posts: number
  requests: number
  result: ActionResult
}

export function keyLeaks(result: ActionResult, apiKey: string, extra?: string[]): number
export function runScenario(scenario: Scenario, options?: { node?: string }): Promise<ScenarioOutcome>

export interface Scenario {
  name: string
  group: string
  slow?: boolean
  inputs: Record<string, string>
  expect: Record<string, unknown>
}
