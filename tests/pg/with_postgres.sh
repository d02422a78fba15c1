#!/bin/sh
# tests/pg/with_postgres.sh CMD [ARG]... — runs CMD with a private PostgreSQL
# server of its own: a new cluster (initdb) in a temporary directory,
# listening on 127.0.0.1 on a free port, trust authentication for the role
# "quotient"; QT_PG_CONNINFO tells CMD where it is.  The server is stopped
# and the directory removed when CMD ends, whatever its exit status (which
# this script returns).  Needs Debian's postgresql (.ci/deps.sh installs it);
# run as root, the server runs as the user "postgres".
set -eu
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with_postgres.sh: PostgreSQL is not installed (sh .ci/deps.sh installs it)" >&2
  exit 2
fi
as_server () {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
tmp=$(mktemp -d /tmp/quotient-pg-XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
stop () {
  as_server "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT INT TERM
as_server "$bindir/initdb" -D "$tmp/data" -A trust -U quotient -E UTF8 --locale=C >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log" >&2; exit 2; }
# a free port: the first the server can listen on
port=""
for p in $(seq $((49152 + $$ % 8000)) $((49152 + $$ % 8000 + 40))); do
  if as_server "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -p $p -k $tmp -c fsync=off" start >/dev/null 2>&1; then
    port=$p
    break
  fi
done
if [ -z "$port" ]; then
  echo "with_postgres.sh: the server did not start:" >&2
  cat "$tmp/server.log" >&2
  exit 2
fi
QT_PG_CONNINFO="host=127.0.0.1 port=$port user=quotient dbname=postgres"
export QT_PG_CONNINFO
status=0
"$@" || status=$?
exit $status
