// The example workflows, the repository's own workflows, action.yml and the README agree with each
// other and with GitHub: every workflow passes GitHub's own parser (@actions/workflow-parser, the
// one behind the Actions language service), every `with:` key given to this action is one of its
// inputs, and the README's input and output tables are action.yml's, in order, with its defaults.
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { parse as parseYaml } from 'yaml'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

interface ActionInput {
  description?: string
  required?: boolean
  default?: string
}
interface ActionYml {
  name?: string
  description?: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description?: string }>
  runs?: { using?: string; main?: string }
}
const action = parseYaml(read('action.yml')) as ActionYml

const workflowFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${dir}/${name}`)
const EXAMPLES = workflowFiles('examples')
const REPO_WORKFLOWS = workflowFiles('.github/workflows')
const ALL_WORKFLOWS = [...EXAMPLES, ...REPO_WORKFLOWS]

/** Every error GitHub's parser finds: the schema pass, then the conversion pass (jobs, needs, …). */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const errors = result.context.errors.getErrors().map((error) => error.message)
  if (errors.length > 0 || result.value === undefined) return errors.length > 0 ? errors : [`${name}: nothing parsed`]
  const template = await convertWorkflowTemplate(result.context, result.value)
  return (template.errors ?? []).map((error) => error.Message)
}

interface Step {
  id?: string
  name?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  jobs: Record<string, { steps?: Step[] }>
}

const USES_THIS_ACTION = /^(?:your-org\/polyai-release-gate@.+|\.\/?)$/

/** Each step, in any job, that runs this action. */
function actionSteps(workflow: Workflow): Array<{ job: string; step: Step }> {
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, definition]) =>
    (definition.steps ?? []).filter((step) => USES_THIS_ACTION.test(String(step.uses ?? ''))).map((step) => ({ job, step }))
  )
}

/** The problems with one use of the action: unknown `with:` keys, required inputs left out. */
function usageProblems(where: string, step: Step): string[] {
  const given = Object.keys(step.with ?? {})
  const unknown = given.filter((key) => !(key in action.inputs)).map((key) => `${where}: '${key}' is not an input of action.yml`)
  const missing = Object.entries(action.inputs)
    .filter(([name, input]) => input.required === true && !given.includes(name))
    .map(([name]) => `${where}: required input '${name}' is not given`)
  return [...unknown, ...missing]
}

/** `steps.<id>.outputs.<name>` references to the action's steps, whose outputs must exist. */
function outputProblems(where: string, text: string, stepIds: Set<string>): string[] {
  const problems: string[] = []
  for (const match of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
    const [, id, output] = match
    if (stepIds.has(id) && !(output in action.outputs)) problems.push(`${where}: steps.${id}.outputs.${output} is not an output of action.yml`)
  }
  return problems
}

/** The rows of the first markdown table under `## heading`, as arrays of cells. */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`)
  if (start < 0) throw new Error(`README has no '## ${heading}' section`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break
    if (!line.trim().startsWith('|')) {
      if (rows.length > 0) break
      continue
    }
    rows.push(
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim())
    )
  }
  if (rows.length < 2 || !rows[1].every((cell) => /^:?-+:?$/.test(cell))) throw new Error(`No table under '## ${heading}'`)
  return rows.slice(2) // without the header and the separator
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1')

describe('GitHub workflow parser', () => {
  it('finds the workflows to check', () => {
    expect(EXAMPLES).toEqual([
      'examples/adk-push-and-merge.yml',
      'examples/drift-check.yml',
      'examples/manual-rollback.yml',
      'examples/merge-branch.yml',
      'examples/promote-on-tag.yml',
      'examples/publish-on-merge.yml'
    ])
    expect(REPO_WORKFLOWS).toEqual(['.github/workflows/ci.yml', '.github/workflows/codeql.yml', '.github/workflows/release.yml'])
  })

  it.each(ALL_WORKFLOWS)('%s is a valid workflow', async (file) => {
    expect(await workflowErrors(file, read(file))).toEqual([])
  })

  it('reports the errors of a broken workflow', async () => {
    const broken = [
      'on: pushh',
      'jobs:',
      '  gate:',
      '    runs-on: ubuntu-latest',
      '    stepz:',
      '      - run: echo ${{ steps.gate.outputs.version }',
      '  live:',
      '    needs: gate',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: your-org/polyai-release-gate@v0',
      '        run: echo both',
      '      - run: echo ${{ fromJSON( }}'
    ].join('\n')
    const errors = await workflowErrors('broken.yml', broken)
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Unexpected value 'pushh'"),
        expect.stringContaining("Unexpected value 'stepz'"),
        expect.stringContaining("Unexpected value 'run'"),
        expect.stringContaining('Unexpected end of expression')
      ])
    )
  })

  it('reports a job that needs a job that does not exist', async () => {
    const content = [
      'on: push',
      'jobs:',
      '  sandbox:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo',
      '  live:',
      '    needs: pre-release',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo'
    ].join('\n')
    expect(await workflowErrors('needs.yml', content)).toEqual([expect.stringContaining("Job 'live' depends on unknown job 'pre-release'")])
  })

  it('reports YAML that GitHub would refuse', async () => {
    const content = ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo "live: yes"'].join('\n')
    expect(await workflowErrors('yaml.yml', content)).toEqual([expect.stringContaining('Nested mappings are not allowed')])
  })

  it('reports a context that is not available where it is used', async () => {
    // A secret in a job's concurrency group: GitHub refuses it; vars, as the examples use, is fine.
    const job = (group: string): string =>
      ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    concurrency:', `      group: ${group}`, '    steps:', '      - run: echo'].join('\n')
    expect(await workflowErrors('secret.yml', job('polyai-${{ secrets.POLYAI_API_KEY }}'))).toEqual([
      expect.stringContaining("Unrecognized named-value: 'secrets'")
    ])
    expect(await workflowErrors('vars.yml', job('polyai-${{ vars.POLYAI_AGENT_ID }}'))).toEqual([])
  })

  it('accepts action.yml as action metadata', () => {
    const result = parseAction({ name: 'action.yml', content: read('action.yml') }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([])
    const broken = parseAction({ name: 'action.yml', content: 'name: x\ndescription: y\nrunz:\n  using: node24\n' }, new NoOperationTraceWriter())
    expect(broken.context.errors.getErrors().length).toBeGreaterThan(0)
  })
})

describe('uses of this action', () => {
  const uses = ALL_WORKFLOWS.flatMap((file) => {
    const workflow = parseYaml(read(file)) as Workflow
    return actionSteps(workflow).map(({ job, step }) => ({ file, job, step }))
  })

  it('every example and the CI workflow use the action', () => {
    for (const file of [...EXAMPLES, '.github/workflows/ci.yml']) expect([file, uses.some((use) => use.file === file)]).toEqual([file, true])
    expect(uses.filter((use) => use.file.startsWith('examples/')).every((use) => use.step.uses === 'your-org/polyai-release-gate@v0')).toBe(true)
    expect(uses.filter((use) => use.file === '.github/workflows/ci.yml').every((use) => use.step.uses === './')).toBe(true)
  })

  it('pass only inputs of action.yml, and every required one', () => {
    const problems = uses.flatMap(({ file, job, step }) => usageProblems(`${file} job ${job} step ${step.id ?? step.name}`, step))
    expect(problems).toEqual([])
  })

  it('read only outputs of action.yml', () => {
    const problems = ALL_WORKFLOWS.flatMap((file) => {
      const ids = new Set(uses.filter((use) => use.file === file && use.step.id).map((use) => use.step.id!))
      return outputProblems(file, read(file), ids)
    })
    expect(problems).toEqual([])
  })

  it('the README snippets pass only inputs of action.yml, and every required one', () => {
    const blocks = [...read('README.md').matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((match) => match[1])
    const steps = blocks.flatMap((block) => {
      const parsed = parseYaml(block) as unknown
      return Array.isArray(parsed) ? (parsed as Step[]) : []
    })
    const ours = steps.filter((step) => USES_THIS_ACTION.test(String(step.uses ?? '')))
    expect(ours.length).toBeGreaterThan(0)
    expect(ours.flatMap((step, index) => usageProblems(`README snippet step ${index + 1}`, step))).toEqual([])
  })

  it('the examples take the key from a secret and the agent from a variable', () => {
    for (const { file, step } of uses.filter((use) => use.file.startsWith('examples/'))) {
      expect([file, step.with?.['api-key']]).toEqual([file, '${{ secrets.POLYAI_API_KEY }}'])
      expect([file, step.with?.['agent-id']]).toEqual([file, '${{ vars.POLYAI_AGENT_ID }}'])
    }
  })

  it('the check catches an unknown key and a missing required input', () => {
    expect(usageProblems('x', { uses: './', with: { 'api-key': 'k', 'agent-id': 'a', 'operaton': 'publish' } })).toEqual([
      "x: 'operaton' is not an input of action.yml",
      "x: required input 'operation' is not given"
    ])
    expect(outputProblems('x', '${{ steps.gate.outputs.tests_result }}', new Set(['gate']))).toHaveLength(1)
  })
})

describe('action.yml', () => {
  it('describes every input and output', () => {
    expect(action.description?.trim()).toBeTruthy()
    const undescribed = [
      ...Object.entries(action.inputs).filter(([, input]) => !input.description?.trim()).map(([name]) => `input ${name}`),
      ...Object.entries(action.outputs).filter(([, output]) => !output.description?.trim()).map(([name]) => `output ${name}`)
    ]
    expect(undescribed).toEqual([])
  })

  it('has branding with an icon and a color', () => {
    expect(action.branding?.icon).toEqual(expect.any(String))
    expect(action.branding?.color).toEqual(expect.any(String))
  })
})

describe('README tables', () => {
  const readme = read('README.md')

  it('the Inputs table is action.yml inputs: names, order and defaults', () => {
    const rows = tableUnder(readme, 'Inputs').map(([name, fallback]) => [unquote(name), unquote(fallback)])
    const expected = Object.entries(action.inputs).map(([name, input]) => [
      name,
      input.required === true ? '(required)' : input.default === undefined ? '' : String(input.default)
    ])
    expect(rows).toEqual(expected)
  })

  it('the Outputs table is action.yml outputs, one row each, in order', () => {
    const names = tableUnder(readme, 'Outputs').map(([name]) => unquote(name))
    expect(names).toEqual(Object.keys(action.outputs))
  })

  it('the table reader fails on a table that does not match', () => {
    const other = '## Inputs\n\n| input | default | meaning |\n|---|---|---|\n| `api-key` | | x |\n'
    expect(tableUnder(other, 'Inputs')).toEqual([['`api-key`', '', 'x']])
    expect(() => tableUnder('## Outputs\n\nno table\n', 'Outputs')).toThrow(/No table/)
  })

  it('lists every example workflow, with a link to it', () => {
    const section = readme.split(/^## /m).find((part) => part.startsWith('Example workflows'))
    expect(section).toBeDefined()
    for (const file of EXAMPLES) expect(section).toContain(`](${file})`)
  })
})

describe('the release workflow', () => {
  const release = parseYaml(read('.github/workflows/release.yml')) as {
    on: { push: { tags: string[]; branches?: string[] } }
    permissions: Record<string, string>
    jobs: Record<string, { permissions?: Record<string, string>; steps: Array<{ run?: string }> }>
  }
  const runs = Object.values(release.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''))

  it('runs on version tags only, with write access only where the release is made', () => {
    expect(release.on.push).toEqual({ tags: ['v*.*.*'] })
    expect(release.permissions).toEqual({ contents: 'read' })
    expect(Object.values(release.jobs).map((job) => job.permissions)).toEqual([{ contents: 'write' }])
  })

  it('checks the tag and dist/ before it publishes, and moves the major tag last', () => {
    const at = (pattern: RegExp): number => runs.findIndex((run) => pattern.test(run))
    const order = [at(/scripts\/release\/index\.js check/), at(/\.ci\/run/), at(/gh release create/), at(/scripts\/release\/index\.js move-major/)]
    expect(order.every((index) => index >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    // .ci/run is what fails when dist/ differs from a fresh build.
    expect(read('.ci/run')).toMatch(/npm run --silent build\n[^]*git status --porcelain -- dist/)
  })
})

/** The problems with a dependabot.yml: the keys GitHub requires, and only the ones it knows. */
function dependabotProblems(config: unknown): string[] {
  const problems: string[] = []
  const root = (config ?? {}) as { version?: unknown; updates?: unknown }
  if (root.version !== 2) problems.push('version must be 2')
  if (!Array.isArray(root.updates) || root.updates.length === 0) return [...problems, 'updates must be a non-empty list']
  const known = new Set(['package-ecosystem', 'directory', 'directories', 'schedule', 'groups', 'ignore', 'allow', 'commit-message', 'open-pull-requests-limit', 'labels', 'assignees', 'reviewers', 'milestone', 'rebase-strategy', 'target-branch', 'versioning-strategy', 'vendor', 'registries', 'pull-request-branch-name', 'insecure-external-code-execution', 'cooldown'])
  const ecosystems = new Set(['npm', 'github-actions', 'bundler', 'cargo', 'composer', 'docker', 'gomod', 'gradle', 'maven', 'nuget', 'pip', 'terraform'])
  for (const [index, update] of (root.updates as Record<string, unknown>[]).entries()) {
    const where = `updates[${index}]`
    for (const key of Object.keys(update)) if (!known.has(key)) problems.push(`${where}: unknown key '${key}'`)
    if (!ecosystems.has(String(update['package-ecosystem']))) problems.push(`${where}: package-ecosystem '${String(update['package-ecosystem'])}' is not one dependabot knows`)
    const directory = update.directory ?? update.directories
    if (!(typeof directory === 'string' || Array.isArray(directory)) || !String(directory).startsWith('/')) problems.push(`${where}: directory must be a path from the root, such as /`)
    const interval = (update.schedule as { interval?: unknown } | undefined)?.interval
    if (!['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly', 'cron'].includes(String(interval))) problems.push(`${where}: schedule.interval is missing or unknown`)
    for (const [name, group] of Object.entries((update.groups ?? {}) as Record<string, Record<string, unknown>>)) {
      const rules = ['patterns', 'exclude-patterns', 'dependency-type', 'update-types'].filter((rule) => rule in group)
      if (rules.length === 0) problems.push(`${where}: group '${name}' has no patterns, dependency-type or update-types`)
      if ('dependency-type' in group && !['production', 'development'].includes(String(group['dependency-type']))) problems.push(`${where}: group '${name}' dependency-type must be production or development`)
    }
  }
  return problems
}

describe('.github/dependabot.yml', () => {
  const config = parseYaml(read('.github/dependabot.yml')) as { updates: Array<{ 'package-ecosystem': string; groups?: object }> }

  it('has the keys dependabot requires, and only ones it knows', () => {
    expect(dependabotProblems(config)).toEqual([])
  })

  it('updates npm and GitHub Actions, each in groups', () => {
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) expect([update['package-ecosystem'], Object.keys(update.groups ?? {}).length > 0]).toEqual([update['package-ecosystem'], true])
  })

  it('the check catches a broken file', () => {
    expect(dependabotProblems({ version: 1, updates: [] })).toEqual(['version must be 2', 'updates must be a non-empty list'])
    expect(dependabotProblems({ version: 2, updates: [{ 'package-ecosystem': 'npmm', directory: 'x', schedule: {}, group: {}, groups: { all: {} } }] })).toEqual([
      "updates[0]: unknown key 'group'",
      "updates[0]: package-ecosystem 'npmm' is not one dependabot knows",
      'updates[0]: directory must be a path from the root, such as /',
      'updates[0]: schedule.interval is missing or unknown',
      "updates[0]: group 'all' has no patterns, dependency-type or update-types"
    ])
  })
})
