#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL on another port, for the read-replica tests and the bench.
#
#   bash .ci/replica.sh          make (or reuse) the replica; its URL is the last line printed
#   bash .ci/replica.sh stop     stop it (its directory stays until the next start)
#
# Idempotent: a healthy replica of this primary already running on REPLICA_PORT is reused (its replay
# resumed, should a test have left it paused); anything else made by this script is recreated. Runs as
# root (CI) or as postgres; the server always runs as postgres. Messages go to stderr.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/tmp/aftercare-replica-$REPLICA_PORT}
PRIMARY="host=127.0.0.1 port=$PRIMARY_PORT user=postgres dbname=postgres"
REPLICA="host=127.0.0.1 port=$REPLICA_PORT user=postgres dbname=postgres"

say() { echo "replica.sh: $*" >&2; }
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
sql() { psql -w "$1" -XAtqc "$2" 2>/dev/null; }

stop_ours() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    say "stopping the replica in $REPLICA_DIR"
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >&2 || true
  fi
}

if [ "${1:-start}" = stop ]; then
  stop_ours
  exit 0
fi

primary_id=$(sql "$PRIMARY" "SELECT system_identifier FROM pg_control_system()") || {
  say "the primary does not answer on 127.0.0.1:$PRIMARY_PORT"
  exit 1
}

# reuse a replica of this primary that is already up and in recovery
if [ "$(sql "$REPLICA" "SELECT pg_is_in_recovery()" || true)" = t ] &&
  [ "$(sql "$REPLICA" "SELECT system_identifier FROM pg_control_system()" || true)" = "$primary_id" ]; then
  sql "$REPLICA" "SELECT pg_wal_replay_resume()" >/dev/null || true
  say "reusing the replica already running on port $REPLICA_PORT"
  echo "postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
  exit 0
fi
stop_ours
if pg_isready -q -h 127.0.0.1 -p "$REPLICA_PORT"; then
  say "port $REPLICA_PORT is taken by a server that is not a replica of this primary (nor ours); set REPLICA_PORT"
  exit 1
fi

# the primary must accept replication connections from 127.0.0.1
if [ "$(sql "$PRIMARY" "SELECT current_setting('wal_level') <> 'minimal' AND current_setting('max_wal_senders')::int > 0")" != t ]; then
  say "the primary has wal_level=minimal or max_wal_senders=0: it cannot stream to a replica (needs a restart)"
  exit 1
fi
# (the first line that matches decides: Debian's stock file asks a password for replication from
# 127.0.0.1, so ours goes first, and names only postgres on 127.0.0.1)
if ! psql -w "$PRIMARY replication=true" -XAtqc "IDENTIFY_SYSTEM" >/dev/null 2>&1; then
  hba=$(sql "$PRIMARY" "SHOW hba_file")
  rule="host replication postgres 127.0.0.1/32 trust"
  say "the primary refused a replication connection: adding '$rule' at the top of $hba and reloading"
  hba_before=$(cat "$hba")
  # rewritten in place, so the file keeps its owner and mode
  printf '# added by aftercare .ci/replica.sh: streaming replicas on this machine\n%s\n\n%s\n' "$rule" "$hba_before" >"$hba"
  sql "$PRIMARY" "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  psql -w "$PRIMARY replication=true" -XAtqc "IDENTIFY_SYSTEM" >/dev/null || {
    say "the primary still refuses replication connections from 127.0.0.1"
    exit 1
  }
fi

say "copying the primary into $REPLICA_DIR (pg_basebackup)"
rm -rf "$REPLICA_DIR"
mkdir -p "$REPLICA_DIR"
chown postgres:postgres "$REPLICA_DIR" 2>/dev/null || true
chmod 700 "$REPLICA_DIR"
as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast

# Debian keeps the configuration outside the data directory: the replica gets its own. A hot standby
# needs these limits at least as high as the primary's.
limits=$(sql "$PRIMARY" "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings
  WHERE name IN ('max_connections','max_worker_processes','max_wal_senders','max_prepared_transactions','max_locks_per_transaction')")
cat >"$REPLICA_DIR/postgresql.conf" <<EOF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
hot_standby = on
$limits
EOF
cat >"$REPLICA_DIR/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
chown postgres:postgres "$REPLICA_DIR/postgresql.conf" "$REPLICA_DIR/pg_hba.conf"

as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -w -t 60 start >&2
for _ in $(seq 1 60); do
  if [ "$(sql "$REPLICA" "SELECT pg_is_in_recovery() AND EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')" || true)" = t ]; then
    say "replica streaming on port $REPLICA_PORT"
    echo "postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres"
    exit 0
  fi
  sleep 1
done
say "the replica did not start streaming within 60 s; see $REPLICA_DIR/server.log"
exit 1
