#!/usr/bin/env bash
# Makes sure the local PostgreSQL and Redis that kpi-ledger needs are up, starting them if they
# are installed here but stopped. Used by `npm start`, `npm test` and .ci/run.
# Set KPI_SKIP_SERVICE_START=1 to only check (e.g. when DATABASE_URL points elsewhere).
set -euo pipefail

pg_up() { pg_isready -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() { # wait_for NAME CHECK — up to 30 s, checking every 0.2 s
  local name=$1 check=$2 i
  for i in $(seq 1 150); do "$check" && return 0; sleep 0.2; done
  echo "ensure-services: $name did not come up within 30 s" >&2
  return 1
}

if ! pg_up; then
  if [ "${KPI_SKIP_SERVICE_START:-0}" != 1 ] && command -v pg_ctlcluster >/dev/null; then
    echo "ensure-services: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  fi
  wait_for PostgreSQL pg_up
fi

if ! redis_up; then
  if [ "${KPI_SKIP_SERVICE_START:-0}" != 1 ] && command -v redis-server >/dev/null; then
    echo "ensure-services: starting Redis" >&2
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
  fi
  wait_for Redis redis_up
fi
