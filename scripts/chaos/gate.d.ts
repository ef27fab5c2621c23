import type { ActionResult } from '../run-action.js'
import type { GatePlan } from './plan.js'

export const API_KEY: string
export function runGate(plan: GatePlan, options?: { node?: string; checkTime?: boolean }): Promise<{ plan: GatePlan; result: ActionResult; problems: string[] }>
