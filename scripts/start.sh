#!/usr/bin/env bash
# `npm start`: everything needed to run kpi-ledger on this machine, from a fresh clone.
# Installs dependencies if missing, makes sure PostgreSQL and Redis are up, writes .env with a
# random JWT secret if there is none, creates and migrates the database, then runs the API and
# the worker side by side (Ctrl-C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-if-needed.sh
bash scripts/ensure-services.sh

if [ ! -f .env ]; then
  secret=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")
  sed "s|^JWT_SECRET=.*|JWT_SECRET=${secret}|" .env.example > .env
  echo "start: wrote .env with a new random JWT_SECRET" >&2
fi

node -r ./scripts/register.js apps/cli/src/main.ts create-database >/dev/null
node -r ./scripts/register.js apps/cli/src/main.ts migrate >/dev/null

exec npx concurrently --kill-others --names api,worker --prefix-colors cyan,magenta \
  "node -r ./scripts/register.js apps/api/src/main.ts" \
  "node -r ./scripts/register.js apps/worker/src/main.ts"
