// Runs an app of kpi-ledger: `node scripts/run.js <api|worker|cli> [arguments…]`.
// The compiled JavaScript in dist/ when `npm run build` made it after the last source change
// (starts in a fraction of a second); else the TypeScript sources through the runtime compiler
// (scripts/register.js, a second or more), saying so when dist/ is there but out of date.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { isBuildFresh, DIST, ROOT } = require('./build-state');

const [app, ...args] = process.argv.slice(2);
const source = path.join(ROOT, 'apps', app ?? '', 'src', 'main.ts');
if (!app || !fs.existsSync(source)) {
  console.error('usage: node scripts/run.js <api|worker|cli> [arguments…]');
  process.exit(64);
}

const built = path.join(DIST, 'apps', app, 'src', 'main.js');
let entry = built;
if (!fs.existsSync(built) || !isBuildFresh()) {
  if (fs.existsSync(built)) {
    console.error(
      `${app}: dist/ is older than the sources; running them through the runtime compiler (npm run build starts faster)`,
    );
  }
  require('./register');
  entry = source;
} else if (app !== 'cli') {
  // Stack traces name the TypeScript lines; a long-running process can afford reading the maps.
  process.setSourceMapsEnabled(true);
}
process.argv = [process.argv[0], entry, ...args];
require(entry);
