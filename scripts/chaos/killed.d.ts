export interface KillCase {
  operation: 'publish' | 'merge' | 'promote' | 'rollback'
  point: 'before sending' | 'while the server acts' | 'after the server acted' | 'while waiting on tests'
  outcome: 'pass' | 'fail'
}

export const KILL_CASES: KillCase[]
export function killAndRerun(killCase: KillCase, options?: { node?: string }): Promise<string[]>
