#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis kpi-ledger will use are up: it probes the addresses in
# DATABASE_URL and REDIS_URL (the environment, else .env, else the defaults) with the app's own
# drivers (scripts/probe-services.js), and names the variable of any that does not answer.
# A service whose URL is this machine's default port is started if it is installed here but
# stopped. Used by `npm start`, `npm test` and .ci/run.
# Set KPI_SKIP_SERVICE_START=1 to only check, never start anything.
set -euo pipefail
cd "$(dirname "$0")/.."

probe() { node scripts/probe-services.js --label ensure-services "$@"; }

start_postgres() {
  command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] || return 1
  echo "ensure-services: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
}

start_redis() {
  command -v redis-server >/dev/null || return 1
  echo "ensure-services: starting Redis" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
}

status=0
for service in postgres redis; do
  probe --quiet "$service" && continue
  if [ "${KPI_SKIP_SERVICE_START:-0}" != 1 ] && probe --local-default "$service" \
    && "start_$service"; then
    # Up to 30 s for it to come up; else the line naming the variable and why.
    probe --wait 30 "$service" || status=1
  else
    probe "$service" || status=1
  fi
done
exit $status
