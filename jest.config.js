/** Jest 30 + ts-jest in ESM mode. Run through `npm test` (it sets --experimental-vm-modules). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import siblings as `./x.js` (NodeNext); map them back to the `.ts` file.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  reporters: ['default', '<rootDir>/scripts/jest-closing-line.cjs'],
  testTimeout: 60000,
  // The bundle tests spawn processes; two workers fit this project's 2-core CI machine.
  maxWorkers: 2,
};
