import type { AgentOptions, Emulator, Fault } from '../../emulator/server.js'

export const AGENTS: string[]
export const FAULT_KINDS: string[]
export const RUN_ENDING_KINDS: string[]

export interface GatePlan {
  seed: number
  operation: 'publish' | 'merge' | 'promote' | 'rollback' | 'release' | 'fleet'
  inputs: Record<string, string>
  agentOptions: AgentOptions
  setup: string
  faults: { kind: string; fault: Fault }[]
  runEnding: string
  clockOffsetMs: number
  clockJumpMs: number
  agents: string[]
}

export function planGate(seed: number): GatePlan
export function setUpAgent(emulator: Emulator, agentId: string, setup: string): void
