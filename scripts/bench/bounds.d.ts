export function lagAllowance(lengthMs: number): number
export function fewestPolls(endMs: number): number
export function isBlind(ends: number[]): boolean
export function overrunFeasible(predictedMs: number, overrunMs: number): boolean
export function fiveSecondPolls(spanMs: number): number
