// ESM TypeScript through ts-jest; type errors are caught by `tsc --noEmit`, not here.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  // e2e tests spawn the bundle and start servers; two cores are shared.
  maxWorkers: 2
}
