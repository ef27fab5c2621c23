/** The step's output names in one list, and the port outputs are published through: a leaf, so anything may import it. */

/** Every output, in action.yml's order (a test holds the two together). */
export const OUTPUT_NAMES = [
  'deployment-id',
  'version',
  'environment',
  'previous-deployment-id',
  'changed',
  'test-run-ids',
  'tests-gated-by',
  'merge-sequence',
  'tests-result',
  'tests-passed',
  'tests-failed',
  'tests-errored',
  'tests-total',
  'rolled-back',
  'deployments',
  'active-deployments',
  'release',
  'results'
] as const

export type OutputName = (typeof OUTPUT_NAMES)[number]
export type Outputs = Partial<Record<OutputName, string>>

/** Where published outputs go: the step's own, once per changed value. */
export interface OutputSink {
  write(outputs: Outputs): void
}
