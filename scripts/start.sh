#!/usr/bin/env bash
# `npm start`: everything needed to run kpi-ledger on this machine, from a fresh clone.
# Installs dependencies if missing, makes sure PostgreSQL and Redis are up, writes .env with a
# random JWT secret and personal-data key if there is none (and adds an audit signing key if it
# has none), compiles to dist/ if a source changed since the last build, creates and migrates the
# database, then runs the API and the worker side by side (Ctrl-C stops both; if either exits,
# the other is stopped too).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-if-needed.sh
bash scripts/ensure-services.sh

if [ ! -f .env ]; then
  secret=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")
  key=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")
  sed -e "s|^JWT_SECRET=.*|JWT_SECRET=${secret}|" -e "s|^PERSONAL_DATA_KEY=.*|PERSONAL_DATA_KEY=${key}|" \
    .env.example > .env
  echo "start: wrote .env with a new random JWT_SECRET and PERSONAL_DATA_KEY" >&2
fi
# An Ed25519 key of this machine's own for evidence bundles (docs/audit-trail.md), as one line
# of JSON; without it, development would sign with the published development key.
if ! grep -q '^AUDIT_SIGNING_KEYS=.' .env; then
  keys=$(node -e "
    const { privateKey } = require('crypto').generateKeyPairSync('ed25519');
    const keyId = 'local-' + new Date().toISOString().slice(0, 10);
    process.stdout.write(JSON.stringify([{ keyId, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) }]));")
  printf 'AUDIT_SIGNING_KEYS=%s\n' "$keys" >>.env
  echo "start: added a new Ed25519 AUDIT_SIGNING_KEYS to .env" >&2
fi

node scripts/build.js --if-stale

# The API and the worker write through concurrently, a pipe, so they cannot see the terminal:
# say it for them (LOG_FORMAT in the environment or in .env wins).
if [ -t 1 ] && [ -z "${LOG_FORMAT:-}" ] && ! grep -q '^LOG_FORMAT=.' .env; then
  export LOG_FORMAT=pretty
fi

node scripts/run.js cli create-database >/dev/null
node scripts/run.js cli migrate >/dev/null

exec node_modules/.bin/concurrently --kill-others --names api,worker --prefix-colors cyan,magenta \
  "node scripts/run.js api" \
  "node scripts/run.js worker"
