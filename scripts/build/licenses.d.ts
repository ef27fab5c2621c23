export interface LicenseEntry {
  name: string
  type: string
  text: string
}
export function packageDirOf(file: string): string | undefined
export function bundledPackageDirs(stats: unknown): string[]
export function licenseOf(dir: string): LicenseEntry
export function renderLicenses(entries: LicenseEntry[]): string
export function listedPackages(text: string): Set<string>
