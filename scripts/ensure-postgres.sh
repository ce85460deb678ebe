#!/usr/bin/env bash
# The tests use the real PostgreSQL server at 127.0.0.1:5432 (trust auth). Start the
# machine's cluster if it is not running; install it from Debian's packages if it is missing.
set -euo pipefail
HOST=127.0.0.1
PORT=5432

if pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null; then exit 0; fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing it from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /etc/postgresql | sort -V | tail -1)
echo "starting PostgreSQL $version" >&2
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  if pg_isready -q -h "$HOST" -p "$PORT"; then exit 0; fi
  sleep 1
done
echo "PostgreSQL did not become ready on $HOST:$PORT" >&2
exit 1
