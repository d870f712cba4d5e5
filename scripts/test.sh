#!/usr/bin/env bash
# `npm test`: everything CI checks, on a fresh clone or a working copy.
# Installs dependencies if needed, makes sure PostgreSQL and Redis are up, then runs the static
# checks (types, lint, format, dependency rules) and every test tier, then the browser tests
# (test/browser: Debian's Chromium, installed with apt-get by their setup when missing) and the
# faults suite (test/faults: services of its own stopped and restarted; a few minutes). Extra
# arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-if-needed.sh
bash scripts/ensure-services.sh

echo "== typecheck" && npx tsc -p tsconfig.json --noEmit
echo "== lint" && npx eslint . --max-warnings 0
echo "== format" && npx prettier --check . --log-level warn
echo "== dependency rules" && npx depcruise apps libs test bench --config .dependency-cruiser.cjs
echo "== tests (unit, int, e2e)" && npx jest --ci --selectProjects unit int e2e "$@"
echo "== browser" && npx jest --ci --selectProjects browser --passWithNoTests "$@"
echo "== faults" && npx jest --ci --selectProjects faults --passWithNoTests "$@"
