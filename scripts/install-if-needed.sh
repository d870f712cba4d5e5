#!/usr/bin/env bash
# Installs the dependencies pinned in package-lock.json when node_modules is missing or older
# than the lock file. Used by `npm start` and `npm test`, so a fresh clone needs no setup step.
#
# `npm install`, not `npm ci`: with `omit-lockfile-registry-resolved` (set on our machines) npm
# leaves other platforms' optional packages (@swc/core-darwin-*, …) out of the lock file, and
# `npm ci` then refuses it as out of sync. `npm install` installs exactly the locked versions
# and leaves the lock file unchanged.
#
# A first install takes a minute or two: npm's one line per package fetched (--loglevel=http)
# becomes a running count (scripts/install-progress.js); warnings and errors show as they come.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install: npm install (locked versions; a first install takes a minute or two)" >&2
  npm install --no-audit --no-fund --loglevel=http 2>&1 | node scripts/install-progress.js
fi
