// Three tiers, chosen by file suffix (see docs/testing.md):
//   *.unit.spec.ts  pure code, no I/O
//   *.int.spec.ts   against the real PostgreSQL / Redis of this machine
//   *.e2e.spec.ts   over HTTP against the running Nest app, real PostgreSQL and Redis
//   *.faults.spec.ts services stopped, killed and restarted under the app (test/faults)
//   *.browser.spec.ts pages in Debian's Chromium driven by playwright-core (test/browser): one
//                     browser per run, launched by the project's globalSetup
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// openid-client 6 and what it imports are ES modules only; Node 20 loads them with require, Jest
// does not, so Jest compiles them to CommonJS (every other package under node_modules is left as is).
const ESM_ONLY_PACKAGES = ['openid-client', 'oauth4webapi', 'jose'];
const esmToCommonJs = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

const moduleNameMapper = {
  '^@kpi/features$': '<rootDir>/libs/features/read-models.ts',
  '^@kpi/features/([a-z-]+)$': '<rootDir>/libs/features/$1',
  '^@kpi/testing/fixtures$': '<rootDir>/libs/testing/src/fixtures',
  '^@kpi/event-store/eventstoredb$': '<rootDir>/libs/event-store/src/eventstoredb',
  '^@kpi/([a-z-]+)$': '<rootDir>/libs/$1/src',
};

const tier = (name, pattern, extra = {}) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: esmToCommonJs,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  moduleNameMapper,
  testMatch: [`<rootDir>/{apps,libs,test}/**/*.${pattern}.spec.ts`],
  ...extra,
});

module.exports = {
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { setupFilesAfterEnv: ['<rootDir>/test/setup/slow-tests.ts'] }),
    tier('e2e', 'e2e', { setupFilesAfterEnv: ['<rootDir>/test/setup/slow-tests.ts'] }),
    tier('faults', 'faults', { setupFilesAfterEnv: ['<rootDir>/test/setup/fault-tests.ts'] }),
    tier('browser', 'browser', {
      testMatch: ['<rootDir>/test/browser/**/*.browser.spec.ts'],
      globalSetup: '<rootDir>/test/browser/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/browser/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/slow-tests.ts'],
    }),
  ],
};
