#!/usr/bin/env bash
# Runs every benchmark of the project against the local PostgreSQL server.
# Usage: bench/run.sh [all|assign|billing|load|board|exports|notify] (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null)
command -v pgbench >/dev/null || { echo "pgbench (postgresql-client) is needed" >&2; exit 1; }
go run ./bench -db "${JOBCENTER_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}" "${1:-all}" 2> >(grep -v '"level":"INFO"' >&2)
