export function lagAllowance(lengthMs: number): number
export function blindPolls(firstMs: number): { polls: number; lastAt: number }
export function fewestPolls(ends: number[]): number
export function isBlind(ends: number[]): boolean
export function overrunFeasible(predictedMs: number, overrunMs: number): boolean
export function fiveSecondPolls(spanMs: number): number
