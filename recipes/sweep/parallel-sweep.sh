#!/bin/sh
# A sweep split across machines with GNU parallel: shard I of N runs on
# whichever host is free (nfguard git --shard I/N), each writes
# shard-I.json here, and nfguard merge joins them into one report.
# Usage: parallel-sweep.sh HOSTS N LIST [nfguard merge options...]
#   HOSTS  parallel's -S: host1,host2 (ssh; nfguard installed on each,
#          every repository LIST names reachable from each), ":" = here
#   N      how many shards;  LIST  the --repos-from file (copied over)
# Exit status: nfguard merge's (0 clean, 1 findings, 2 incomplete).
set -eu
[ $# -ge 3 ] || {
	echo "usage: $0 HOSTS N LIST [nfguard merge options...]" >&2
	exit 2
}
hosts=$1 n=$2 list=$3
shift 3
shards=$(seq -f 'shard-%g.json' 1 "$n")
# A report left from an earlier run must not stand in for a failed shard.
# shellcheck disable=SC2086 # one word per shard
rm -f $shards
# Exit 1 (findings) is a shard done; anything else fails its job, and the
# merge below then finds its report missing.
parallel -S "$hosts" --transferfile {1} --return 'shard-{2}.json' --cleanup \
	'nfguard git --repos-from {1} --shard {2}/'"$n"' -f json -o shard-{2}.json || [ $? -eq 1 ]' \
	::: "$list" ::: $(seq 1 "$n") || :
# shellcheck disable=SC2086
exec nfguard merge "$@" $shards
