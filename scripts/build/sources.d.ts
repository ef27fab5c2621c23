export const HASHES_FILE: string
export function hashSources(root: string): Map<string, string>
export function formatHashes(hashes: Map<string, string>): string
export function parseHashes(text: string): Map<string, string>
export function changedSources(root: string): string[]
