#!/bin/sh
# citus-cluster.sh: a local Citus cluster for trying polls scaled out, a
# coordinator and two workers on this machine, each in a data directory of
# its own. It uses a Citus extension already installed for the local
# PostgreSQL (it does not build Citus: README, "Scaling out", says how).
#
#   scripts/citus-cluster.sh start    initdb the nodes if needed, start them, join the workers
#   scripts/citus-cluster.sh status   which nodes run, and the cluster's nodes as Citus sees them
#   scripts/citus-cluster.sh stop     stop the three nodes (the data stays)
#   scripts/citus-cluster.sh url      the coordinator's URL, for POLLS_DATABASE_URL
#
# Settings (environment):
#   POLLS_CITUS_DIR    data directories' parent    (default: .polls/citus)
#   POLLS_CITUS_PORTS  coordinator and worker ports (default: "57001 57002 57003")
#   POLLS_CITUS_DB     the database polls uses      (default: polls)
#   PG_BIN             PostgreSQL's programs        (default: pg_config --bindir)
#
# Every node listens on 127.0.0.1 and on a unix socket in its data
# directory. The database superuser is "postgres", trusted from this machine.
# Run as root, the servers run as the "postgres" system user (PostgreSQL
# refuses root).
#
# Authentication, and why (pg_hba.conf of each node):
# - Citus opens its connections to the workers as the current user, which
#   inside a polls transaction is the tenant's role (SET ROLE; citusdata/citus
#   issue 7719): tenant roles can therefore LOGIN, and the workers must let
#   them in -- from the coordinator only. On the workers: trust from the
#   coordinator's address (127.0.0.1 here; on real machines the coordinator's
#   address, and the other workers' for the superuser, which shard moves use),
#   nothing from anywhere else.
# - On the coordinator, tenant roles have no password, and every TCP login but
#   the superuser's from this machine needs one (scram-sha-256): so no client
#   can log in to the coordinator as a tenant role.
set -eu

dir=${POLLS_CITUS_DIR:-.polls/citus}
ports=${POLLS_CITUS_PORTS:-57001 57002 57003}
db=${POLLS_CITUS_DB:-polls}
bin=${PG_BIN:-$(pg_config --bindir)}
host=127.0.0.1
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac # sockets and pg_ctl need it whole

set -- "${1:-}" $ports
cmd=$1 coordinator=$2 worker1=$3 worker2=$4

die() { echo "citus-cluster: $*" >&2; exit 1; }

# as runs a command as the user that owns the clusters: ourselves, or
# "postgres" when we are root.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

node_dir() { echo "$dir/node-$1"; }

psql_on() { # PORT SQL...: run SQL as the superuser on a node's polls database
	port=$1
	shift
	PGOPTIONS='-c client_min_messages=warning' as "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$(node_dir "$port")" -p "$port" -U postgres -d "$db" "$@"
}

init_node() { # PORT ROLE
	port=$1 role=$2 data=$(node_dir "$1")
	[ -f "$data/PG_VERSION" ] && return 0
	mkdir -p "$data"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir" "$data"
	chmod 700 "$data"
	as "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
	cat >>"$data/postgresql.conf" <<EOF

# citus-cluster.sh
listen_addresses = '$host'
port = $port
unix_socket_directories = '.'
shared_preload_libraries = 'citus'
# Every schema made on the coordinator is distributed: a tenant's tables live together on one worker.
citus.enable_schema_based_sharding = on
# citus_schema_move copies a tenant by logical replication while it keeps serving.
wal_level = logical
max_connections = 300
EOF
	if [ "$role" = coordinator ]; then
		cat >"$data/pg_hba.conf" <<EOF
# coordinator (citus-cluster.sh): tenant roles have no password, so only the
# superuser logs in over TCP without one.
local all all                  trust
host  all postgres $host/32    trust
host  all all      $host/32    scram-sha-256
EOF
	else
		cat >"$data/pg_hba.conf" <<EOF
# worker (citus-cluster.sh): every role, tenant roles included, from the
# coordinator (and the other workers, for shard moves) only. On one machine
# that is 127.0.0.1; on several, name each address instead.
local all all                  trust
host  all all      $host/32    trust
EOF
	fi
}

start_node() {
	data=$(node_dir "$1")
	if as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		return 0
	fi
	as "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null || die "node on port $1 did not start: see $data/server.log"
}

create_db() { # PORT: the polls database with the citus extension
	port=$1
	exists=$(as "$bin/psql" -X -At -h "$(node_dir "$port")" -p "$port" -U postgres -d postgres \
		-c "SELECT 1 FROM pg_database WHERE datname = '$db'")
	[ "$exists" = 1 ] || as "$bin/createdb" -h "$(node_dir "$port")" -p "$port" -U postgres "$db"
	psql_on "$port" -c "CREATE EXTENSION IF NOT EXISTS citus"
}

case $cmd in
start)
	[ -f "$(pg_config --pkglibdir)/citus.so" ] ||
		die "the citus extension is not installed for $(pg_config --version): build and install it first (README, \"Scaling out\")"
	mkdir -p "$dir"
	init_node "$coordinator" coordinator
	init_node "$worker1" worker
	init_node "$worker2" worker
	for p in $coordinator $worker1 $worker2; do start_node "$p"; done
	for p in $coordinator $worker1 $worker2; do create_db "$p"; done
	psql_on "$coordinator" >/dev/null <<EOF
SELECT citus_set_coordinator_host('$host', $coordinator);
-- The coordinator routes; the tenants' tables live on the workers.
SELECT citus_set_node_property('$host', $coordinator, 'shouldhaveshards', false);
SELECT citus_add_node('$host', $worker1) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodeport = $worker1);
SELECT citus_add_node('$host', $worker2) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodeport = $worker2);
EOF
	echo "citus cluster up: coordinator $host:$coordinator, workers $host:$worker1 and $host:$worker2"
	echo "POLLS_DATABASE_URL=postgres://postgres@$host:$coordinator/$db?sslmode=disable"
	;;
stop)
	for p in $coordinator $worker1 $worker2; do
		data=$(node_dir "$p")
		[ -f "$data/PG_VERSION" ] || continue
		as "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
	done
	echo "citus cluster stopped (data kept in $dir)"
	;;
status)
	for p in $coordinator $worker1 $worker2; do
		if as "$bin/pg_ctl" -D "$(node_dir "$p")" status >/dev/null 2>&1; then
			echo "port $p: running"
		else
			echo "port $p: stopped"
		fi
	done
	psql_on "$coordinator" -c "SELECT nodename, nodeport, groupid, shouldhaveshards, isactive FROM pg_dist_node ORDER BY groupid" 2>/dev/null || true
	;;
url)
	echo "postgres://postgres@$host:$coordinator/$db?sslmode=disable"
	;;
*)
	echo "usage: $0 start|status|stop|url" >&2
	exit 2
	;;
esac
