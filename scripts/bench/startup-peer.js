// The peer of start-up: the same `operation: active` built as most actions are, on @actions/core and
// @actions/http-client, bundled with ncc by the benchmark. Not part of the action.
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'

try {
  const agentId = core.getInput('agent-id', { required: true })
  const client = new HttpClient('polyai-bench-peer', [], { headers: { 'x-api-key': core.getInput('api-key', { required: true }) } })
  const url = new URL(`/v1/agents/${encodeURIComponent(agentId)}/deployments/active`, core.getInput('base-url')).href
  const answer = await client.getJson(url)
  if (answer.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${answer.statusCode}`)
  const active = answer.result ?? {}
  core.setOutput('active-deployments', JSON.stringify(active))
  core.setOutput('changed', 'false')
  core.setOutput('results', JSON.stringify([{ agentId, operation: 'active', status: 'passed', changed: false }]))
  for (const name of Object.keys(active)) core.info(`${name}: ${active[name]?.version ?? 'none'}`)
  await core.summary.addHeading('Active deployments', 2).addList(Object.keys(active)).write()
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error))
}
