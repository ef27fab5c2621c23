import type { ChildProcess } from 'node:child_process'

export const BUNDLE: string

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  durationMs: number
}

export interface RunOptions {
  /** The node binary to run the bundle with; default the current one. */
  node?: string
  env?: Record<string, string>
  onSpawn?: (child: ChildProcess) => void
  cwd?: string
}

export function parseOutputFile(text: string): Record<string, string>
export function runnerEnvironment(
  inputs: Record<string, string | undefined>,
  extraEnv?: Record<string, string>,
  prefix?: string
): { workDir: string; outputFile: string; summaryFile: string; env: Record<string, string> }
export function runAction(inputs: Record<string, string | undefined>, options?: RunOptions): Promise<ActionResult>
