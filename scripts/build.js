// `npm run build`: compiles apps/ and libs/ to JavaScript in dist/ (same layout, `.js` beside a
// `.js.map`), so the API, the worker and the CLI start without compiling TypeScript at run time.
//
// It compiles with SWC and the very options the runtime compiler (scripts/register.js, used by
// the tests) derives from tsconfig.json, so built and tested code are the same transform:
// decorator metadata on, and the `@kpi/*` path aliases rewritten to relative requires (dist/
// needs no resolver at run time). It does not type-check: `npm run typecheck` does.
//
//   node scripts/build.js            build (always)
//   node scripts/build.js --if-stale build only when a source is newer than the last build
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { isBuildFresh, sourceFiles, ROOT, DIST, STAMP } = require('./build-state');

function build() {
  const started = Date.now();
  process.env.SWC_NODE_PROJECT = path.join(ROOT, 'tsconfig.json');
  const {
    readDefaultTsConfig,
    tsCompilerOptionsToSwcConfig,
  } = require('@swc-node/register/read-default-tsconfig');
  const { transformSync } = require('@swc-node/core');
  const tsOptions = readDefaultTsConfig();

  fs.rmSync(DIST, { recursive: true, force: true });
  const files = sourceFiles();
  for (const file of files) {
    const relative = path.relative(ROOT, file);
    const target = path.join(DIST, relative).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.endsWith('.json')) {
      fs.copyFileSync(file, target);
      continue;
    }
    const options = tsCompilerOptionsToSwcConfig(tsOptions, file);
    options.sourcemap = true;
    options.swc = { ...options.swc, sourceFileName: path.relative(path.dirname(target), file) };
    const { code, map } = transformSync(fs.readFileSync(file, 'utf8'), file, options);
    fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) fs.writeFileSync(`${target}.map`, map);
  }
  fs.writeFileSync(STAMP, JSON.stringify({ builtAt: new Date().toISOString() }) + '\n');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`build: ${files.length} files compiled to dist/ in ${seconds} s`);
}

if (process.argv.includes('--if-stale') && isBuildFresh()) {
  console.error('build: dist/ is up to date');
} else {
  build();
}
