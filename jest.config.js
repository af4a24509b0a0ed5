// ES-module jest: NestJS 12 ships ES modules, so tests run with --experimental-vm-modules
// and swc compiles TypeScript (with decorator metadata) to ES modules.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2023',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
  // Measured: on a loaded 2-core machine a worker reached 'exit' within 50 ms of its last file,
  // with no handle left, yet ending the process (a large heap, PGlite's WebAssembly) took more
  // than jest's 500 ms and jest reported it as "failed to exit gracefully". A real leak (a handle
  // that keeps the event loop alive) still shows: the worker then never exits on its own.
  workerGracefulExitTimeout: 5000,
};
