import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import type { Environment } from '../../src/config/config.js'
import type { Deployment } from '../../src/api/shapes.js'
import { DEFAULTS } from '../../src/config/inputs.js'
import { OUTPUT_NAMES, outputSink, outputsOf } from '../../src/report/outputs.js'
import { resultJson } from '../../src/report/results.js'
import type { StepRecord } from '../../src/step/context.js'

// Outputs from one place: the names in one list held against action.yml, the values a pure function of the record.
const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

describe('action.yml', () => {
  it('declares exactly the outputs of OUTPUT_NAMES, in its order', () => {
    expect(Object.keys(action.outputs)).toEqual([...OUTPUT_NAMES])
  })

  it('declares the defaults that readConfig applies, and no other', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, input]) => input.default !== undefined && !String(input.default).includes('${{'))
        .map(([name, input]) => [name, String(input.default)])
    )
    expect(DEFAULTS).toEqual(declared)
  })
})

const deployment = (id: string, environment: Environment, version: string): Deployment => ({
  id, environment, version, agentId: 'a', artifactVersion: '', createdBy: '', createdAt: ''
})
const record = (patch: Partial<StepRecord>): StepRecord => ({ operation: 'publish', agentId: 'a', testRunIds: [], reports: [], warnings: [], ...patch })

describe('outputsOf', () => {
  it('says nothing before anything is known', () => {
    expect(outputsOf(record({}))).toEqual({})
  })

  it('describes a change, its runs and its verdict', () => {
    const outputs = outputsOf(record({
      previous: null,
      changed: true,
      deployment: deployment('d-2', 'sandbox', 'v2'),
      testRunIds: ['r1'],
      gatedBy: 'triggered',
      verdict: { result: 'passed', passed: 3, failed: 0, errored: 0, total: 3 }
    }))
    expect(outputs).toEqual({
      'previous-deployment-id': '', 'deployment-id': 'd-2', version: 'v2', environment: 'sandbox', changed: 'true', 'rolled-back': 'false',
      'test-run-ids': '["r1"]', 'tests-gated-by': 'triggered', 'tests-result': 'passed', 'tests-passed': '3', 'tests-failed': '0', 'tests-errored': '0', 'tests-total': '3'
    })
  })

  it('names what a plan would move, into the environment it would move it into', () => {
    const outputs = outputsOf(record({ operation: 'promote', environment: 'live', changed: false, ending: { kind: 'planned' }, planned: { id: 'd-1', version: 'v1' } }))
    expect(outputs).toMatchObject({ 'deployment-id': 'd-1', version: 'v1', environment: 'live', changed: 'false' })
  })

  it('describes a release by its last rung, with every rung in `release`', () => {
    const rung = record({ operation: 'promote', changed: true, deployment: deployment('d-3', 'live', 'v3') })
    const outputs = outputsOf(record({ operation: 'release', rungs: [record({ changed: false }), rung] }))
    expect(outputs).toMatchObject({ 'deployment-id': 'd-3', environment: 'live' })
    expect(JSON.parse(outputs.release!)).toHaveLength(2)
  })
})

describe('resultJson', () => {
  it('names what a plan would move, as the outputs do, in the entry and in each rung', () => {
    const plan = record({ operation: 'promote', environment: 'live', changed: false, ending: { kind: 'planned' }, planned: { id: 'd-1', version: 'v1' } })
    expect(resultJson(plan)).toMatchObject({ deploymentId: 'd-1', version: 'v1', environment: 'live', changed: false, dryRun: true })
    const release = record({ operation: 'release', environment: 'live', changed: false, ending: { kind: 'planned' }, planned: { id: 'd-1', version: 'v1' }, rungs: [record({ changed: false, deployment: deployment('d-1', 'sandbox', 'v1') }), plan] })
    const json = resultJson(release) as { deploymentId: string; release: { deploymentId: string; version: string }[] }
    expect(json.deploymentId).toBe('d-1')
    expect(json.release.map((rung) => [rung.deploymentId, rung.version])).toEqual([['d-1', 'v1'], ['d-1', 'v1']])
  })
})

describe('outputSink', () => {
  it('writes each value once, and again only when it changes', () => {
    const written: string[] = []
    const sink = outputSink((name, value) => written.push(`${name}=${value}`))
    sink.write({ changed: 'false', version: 'v1' })
    sink.write({ changed: 'false', version: 'v2' })
    expect(written).toEqual(['changed=false', 'version=v1', 'version=v2'])
  })
})
