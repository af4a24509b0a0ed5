#!/usr/bin/env bash
# Checks .ci/replica.sh against a scratch primary whose pg_hba.conf is Debian's stock one for
# replication (127.0.0.1 with a password, which the script cannot give): the script's trust line
# must come before it to count, name only the postgres user on 127.0.0.1, and a second run must
# reuse the replica and add nothing. Run as root or postgres; ports 5440/5441 by default.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PORT=${SCRATCH_PORT:-5440}
WORK=$(mktemp -d /tmp/aftercare-replica-test.XXXXXX)
chown postgres:postgres "$WORK" 2>/dev/null || true
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
cleanup() {
  REPLICA_DIR="$WORK/replica" REPLICA_PORT=$((PORT + 1)) bash .ci/replica.sh stop 2>/dev/null || true
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/primary" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "replica.test.sh: FAIL: $*" >&2
  exit 1
}

as_postgres "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust >/dev/null
cat >"$WORK/primary/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 scram-sha-256
HBA
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$WORK" start >/dev/null

run() { PRIMARY_PORT=$PORT REPLICA_PORT=$((PORT + 1)) REPLICA_DIR="$WORK/replica" bash .ci/replica.sh 2>>"$WORK/script.log"; }
url=$(run | tail -1) || fail "the first run failed: $(cat "$WORK/script.log")"
[ "$url" = "postgres://postgres@127.0.0.1:$((PORT + 1))/postgres" ] || fail "unexpected URL: $url"
[ "$(psql "$url" -XAtqc 'SELECT pg_is_in_recovery()')" = t ] || fail "no standby on port $((PORT + 1))"
url=$(run | tail -1) || fail "the second run failed: $(cat "$WORK/script.log")"
grep -q reusing "$WORK/script.log" || fail "the second run did not reuse the replica"

added=$(grep -v '^#' "$WORK/primary/pg_hba.conf" | grep -c trust | tr -d ' ')
[ "$added" = 3 ] || fail "expected one trust line added to pg_hba.conf, found $((added - 2))"
first_rule=$(grep -v '^#' "$WORK/primary/pg_hba.conf" | grep -v '^$' | head -1)
[ "$first_rule" = "host replication postgres 127.0.0.1/32 trust" ] || fail "the added line is '$first_rule'"
echo "replica.test.sh: ok" >&2
