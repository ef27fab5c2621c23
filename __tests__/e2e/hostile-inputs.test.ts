import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/server.js'
import { hostileInputSets, tryInputs } from '../../scripts/reliability/hostile-inputs.js'
import { API_KEY } from '../../scripts/reliability/run-scenario.js'
import { MACHINE_NODE } from './harness.js'

// Property-based: hostile input sets (fast-check, fixed seed) through the bundled action.
// `npm run reliability` runs a larger sample of the same property.
let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ apiKey: API_KEY })
})
afterAll(() => emulator.close())

it('every hostile input set ends in a clear verdict, with no stack trace, no key and no bent path', async () => {
  const problems: string[] = []
  let reachedApi = 0
  for (const inputs of hostileInputSets(30)) {
    const outcome = await tryInputs(emulator, inputs, { node: MACHINE_NODE })
    if (outcome.requests > 0) reachedApi++
    problems.push(...outcome.problems.map((problem) => `${JSON.stringify(inputs)}: ${problem}`))
  }
  expect(problems).toEqual([])
  // The sample must exercise the API path too, not only input errors.
  expect(reachedApi).toBeGreaterThan(0)
}, 120_000)
