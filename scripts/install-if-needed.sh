#!/usr/bin/env bash
# Installs the dependencies pinned in package-lock.json when node_modules is missing or older
# than the lock file. Used by `npm start` and `npm test`, so a fresh clone needs no setup step.
#
# `npm install`, not `npm ci`: with `omit-lockfile-registry-resolved` (set on our machines) npm
# leaves other platforms' optional packages (@swc/core-darwin-*, …) out of the lock file, and
# `npm ci` then refuses it as out of sync. `npm install` installs exactly the locked versions
# and leaves the lock file unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install: npm install (locked versions)" >&2
  npm install --no-audit --no-fund --loglevel=error
fi
