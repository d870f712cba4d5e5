#!/usr/bin/env bash
# Installs the exact dependencies of package-lock.json when node_modules is missing or older
# than the lock file. Used by `npm start` and `npm test`, so a fresh clone needs no setup step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
