#!/usr/bin/env bash
# The performance harness (issue 8): builds pdw and the bench programs,
# starts a throwaway PostgreSQL cluster unless --db names one, and runs
# bench/cmd/benchrun, which measures everything against the anchors of the
# same run and writes bench/RESULTS.md. Not part of `go test ./...` or CI.
#
#   bench/run.sh                  full run (about 4 minutes on 2 cores; 14 with --soak 10m --crash)
#   bench/run.sh --quick          smaller data, 5 s per load (about 3 minutes)
#   bench/run.sh --soak 10m       also the soak: 10 minutes of mixed load
#   bench/run.sh --crash          also the crash check (kill -9 during notifications)
#   bench/run.sh --db postgres://user@host:port/db   use this cluster (databases
#                                 pdw_bench, pdw_bench_pgbench, pdw_bench_plan are
#                                 dropped and created on it)
#   --out FILE (default bench/RESULTS.md), --keep (keep the scratch directory)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick="" soak="" crash="" db="" out="$root/bench/RESULTS.md" keep=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--soak) soak="$2"; shift ;;
	--soak=*) soak="${1#--soak=}" ;;
	--crash) crash=1 ;;
	--db) db="$2"; shift ;;
	--db=*) db="${1#--db=}" ;;
	--out) out="$2"; shift ;;
	--keep) keep=1 ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

work=$(mktemp -d /tmp/pdw-bench.XXXXXX)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
pgdata=""
cleanup() {
	if [ -n "$pgdata" ]; then
		as_pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
	fi
	if [ -z "$keep" ]; then rm -rf "$work"; else echo "scratch kept in $work" >&2; fi
}
trap cleanup EXIT

# as_pg runs a PostgreSQL server binary, as the postgres user when we are root.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

echo "== build" >&2
mkdir -p "$work/bin"
go build -o "$work/bin/" ./cmd/pdw ./bench/cmd/seed ./bench/cmd/load ./bench/cmd/pdfbench ./bench/cmd/benchrun ./bench/cmd/bareapi

cluster="given"
if [ -z "$db" ]; then
	if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
		echo "bench/run.sh: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql), or pass --db" >&2
		exit 1
	fi
	echo "== throwaway PostgreSQL cluster" >&2
	pgdata="$work/pg"
	mkdir -p "$pgdata"
	if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pgdata" "$work"; chmod 0755 "$work"; fi
	as_pg "$pgbin/initdb" -D "$pgdata" -A trust -U postgres --no-instructions >/dev/null
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55439)
	# The anchors' settings (perf-anchors.md): shared_buffers 512MB,
	# max_connections 200, fsync and synchronous_commit on (defaults).
	as_pg "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $pgdata -c shared_buffers=512MB -c max_connections=200" start >/dev/null
	db="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	cluster="throwaway, started by bench/run.sh"
fi

args=(-db "$db" -bin "$work/bin" -repo "$root" -out "$out" -work "$work" -cluster "$cluster")
[ -n "$pgbin" ] && [ -x "$pgbin/pgbench" ] && args+=(-pgbin "$pgbin")
[ -n "$quick" ] && args+=(-quick)
[ -n "$soak" ] && args+=(-soak "$soak")
[ -n "$crash" ] && args+=(-crash)
"$work/bin/benchrun" "${args[@]}"
echo "== wrote $out" >&2
