// The floor of start-up: what `operation: active` must do at the least, with nothing but node's own
// modules. Reads the inputs, makes the same GET over https, writes the same outputs and summary.
import { appendFileSync } from 'node:fs'
import { request } from 'node:https'

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? ''
const url = new URL(`/v1/agents/${encodeURIComponent(input('agent-id'))}/deployments/active`, input('base-url'))
const answer = await new Promise((resolve, reject) => {
  const outgoing = request(url, { headers: { 'x-api-key': input('api-key'), accept: 'application/json' } }, (incoming) => {
    let body = ''
    incoming.setEncoding('utf8')
    incoming.on('data', (chunk) => (body += chunk))
    incoming.on('end', () => resolve({ status: incoming.statusCode, body }))
  })
  outgoing.on('error', reject)
  outgoing.end()
})
if (answer.status !== 200) {
  console.log(`::error::GET ${url.pathname}: HTTP ${answer.status}`)
  process.exitCode = 1
} else {
  const active = JSON.parse(answer.body)
  const results = [{ agentId: input('agent-id'), operation: 'active', status: 'passed', changed: false }]
  const output = (name, value) => `${name}<<EOF_FLOOR\n${value}\nEOF_FLOOR\n`
  appendFileSync(process.env.GITHUB_OUTPUT, output('active-deployments', JSON.stringify(active)) + output('changed', 'false') + output('results', JSON.stringify(results)))
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, `## Active deployments\n\n${Object.keys(active).map((name) => `- ${name}`).join('\n')}\n`)
  for (const name of Object.keys(active)) console.log(`${name}: ${active[name]?.version ?? 'none'}`)
}
