#!/usr/bin/env bash
# duban's load test: builds duban, starts it on a temporary SQLite database on
# loopback, and runs 200 concurrent clients for 60 s (see bench/README.md).
# Extra arguments go to the load command, e.g.
#   bench/load.sh -duration 10s -clients 50 -json /tmp/load.json
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/duban" ./cmd/duban
go build -o "$tmp/load" ./bench/load
"$tmp/load" -duban "$tmp/duban" "$@"
