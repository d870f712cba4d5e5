// What `npm run build` compiles, and whether dist/ still matches it. Shared by scripts/build.js
// and scripts/run.js; plain Node, no dependencies, so the check costs milliseconds.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
/** Written last by a build: its time is the build's. */
const STAMP = path.join(DIST, '.build-stamp');
/** A change to these changes what a build emits. */
const BUILD_INPUTS = ['tsconfig.base.json', 'tsconfig.json', 'scripts/build.js'];

/** Every file a build compiles (`.ts`, not specs) or copies (`.json`), with the directories walked. */
function walk(onFile, onDirectory = () => {}) {
  const visit = (directory) => {
    onDirectory(directory);
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|json)$/.test(entry.name) && !/\.(spec|d)\.ts$/.test(entry.name)) {
        if (!entry.name.startsWith('tsconfig')) onFile(full);
      }
    }
  };
  for (const app of fs.readdirSync(path.join(ROOT, 'apps'))) {
    const src = path.join(ROOT, 'apps', app, 'src');
    if (fs.existsSync(src)) visit(src);
  }
  for (const lib of fs.readdirSync(path.join(ROOT, 'libs'))) {
    // Test helpers never run in a built process.
    if (lib !== 'testing') visit(path.join(ROOT, 'libs', lib));
  }
}

function sourceFiles() {
  const files = [];
  walk((file) => files.push(file));
  return files;
}

/**
 * True when dist/ was built after the last change to any source: an edited, added or removed
 * file (a directory's time changes when an entry is added or removed) or a build input.
 */
function isBuildFresh() {
  let builtAt;
  try {
    builtAt = fs.statSync(STAMP).mtimeMs;
  } catch {
    return false;
  }
  const newer = (file) => fs.statSync(file).mtimeMs > builtAt;
  if (BUILD_INPUTS.some((input) => newer(path.join(ROOT, input)))) return false;
  let fresh = true;
  try {
    walk(
      (file) => {
        if (fresh && newer(file)) fresh = false;
      },
      (directory) => {
        if (fresh && newer(directory)) fresh = false;
      },
    );
  } catch {
    return false;
  }
  return fresh;
}

module.exports = { ROOT, DIST, STAMP, sourceFiles, isBuildFresh };
