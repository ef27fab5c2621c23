import type { Emulator } from '../../emulator/server.js'

export function hostileInputSets(count: number, seed?: number): Record<string, string>[]
export function tryInputs(
  emulator: Emulator,
  inputs: Record<string, string>,
  options?: { node?: string }
): Promise<{ problems: string[]; requests: number; code: number | null }>
