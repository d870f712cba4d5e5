// Runs TypeScript entry points directly (CLI, benchmarks, worker in tests) with SWC:
// decorator metadata on, tsconfig path aliases resolved. Usage: node -r ./scripts/register.js file.ts
process.env.SWC_NODE_PROJECT =
  process.env.SWC_NODE_PROJECT || require('path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
