/**
 * Dependency rules, checked on every `npm test` (docs/rules/code-style.md: dependencies point
 * inward, apps -> libs -> libs/domain). A violation fails the test run.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'libs/domain holds deciders, events and policies as plain TypeScript. It may not import a framework, a driver or Node I/O (its specs may use test libraries such as fast-check).',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-no-pkg',
          'npm-unknown',
          'core',
        ],
      },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment:
        'libs/domain may not depend on any other lib or app (its specs may use libs/testing).',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(apps|libs/(?!domain/))' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'event-store-is-framework-free',
      severity: 'error',
      comment:
        'The event store is used by the CLI, the worker and benchmarks; it must not need Nest.',
      from: {
        path: '^libs/(event-store|projections|features|command-handling|scheduling|config|auth|runtime|logging|audit-bundle|personal-data|seals)/',
      },
      to: { path: 'node_modules/@nestjs/' },
    },
    {
      name: 'features-meet-only-through-events',
      severity: 'error',
      comment:
        "A feature reaches another only through domain events (libs/domain) and the event-store port: never by importing it. Its specs may set up data with another feature's use cases.",
      from: { path: '^libs/features/([^/]+)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/features/', pathNot: '^libs/features/$1/' },
    },
    {
      name: 'shared-libs-know-no-feature',
      severity: 'error',
      comment:
        'The machinery every feature uses (command handling, projections, scheduling, event store) knows none of them.',
      from: {
        path: '^libs/(command-handling|projections|scheduling|event-store|runtime|config|auth|logging|audit-bundle|personal-data|seals)/',
        pathNot: '\\.spec\\.ts$',
      },
      to: { path: '^libs/features/' },
    },
    {
      name: 'testing-helpers-stay-in-tests',
      severity: 'error',
      comment: 'libs/testing is for specs and benchmarks only.',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.ts$', '^libs/testing/'] },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'peer-store-only-in-the-bench',
      severity: 'error',
      comment:
        'Emmett (a development dependency) is the peer bench:append measures against; nothing that ships imports it.',
      from: { path: '^(apps|libs|test)/' },
      to: { path: 'node_modules/@event-driven-io/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|coverage)/' },
  },
};
