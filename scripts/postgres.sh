#!/usr/bin/env bash
# Makes a local PostgreSQL server (Debian's packages) answer on 127.0.0.1:5432
# with a role "duban" (password "duban") that owns the database duban_test.
# Installs the server when it is missing and this runs as root. Exits 1 when
# it cannot, so callers can fall back.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    exit 1
  fi
  echo "scripts/postgres.sh: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if command -v pg_lsclusters >/dev/null; then
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    [ "$(id -u)" = 0 ] || exit 1
    pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    [ "$(id -u)" = 0 ] || exit 1
    pg_ctlcluster "$version" main start
  fi
else
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi
}
for _ in $(seq 1 30); do
  as_postgres "psql -qtAc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
if ! as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'duban'\"" | grep -q 1; then
  as_postgres "psql -qc \"CREATE ROLE duban LOGIN PASSWORD 'duban'\""
fi
if ! as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'duban_test'\"" | grep -q 1; then
  as_postgres "createdb -O duban duban_test"
fi
