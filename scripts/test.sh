#!/usr/bin/env bash
# The whole test suite: formatting, vet, and every test on SQLite and
# PostgreSQL. Run from anywhere: scripts/test.sh [extra go test flags]
#
# PostgreSQL: set DUBAN_TEST_POSTGRES to a DSN whose role may create schemas.
# Unset, the script uses a local PostgreSQL server from Debian's packages,
# installing and starting it when it runs as root (as CI does); otherwise the
# PostgreSQL half is skipped with a notice — except under CI=true, where the
# store suite refuses to skip it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DUBAN_TEST_POSTGRES:-}" ]; then
  if scripts/postgres.sh; then
    export DUBAN_TEST_POSTGRES="postgres://duban:duban@127.0.0.1:5432/duban_test?sslmode=disable"
  else
    echo "scripts/test.sh: no PostgreSQL for tests; the PostgreSQL half will be skipped (set DUBAN_TEST_POSTGRES)" >&2
  fi
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
echo "== go vet"
go vet ./...
echo "== go test"
go test -race -count=1 -timeout 40m "$@" ./...
