#!/bin/sh
# A sweep split into shards and merged back: seven local repositories
# (one empty, one token in three of them) swept as shards 1/3, 2/3 and
# 3/3 through the GNU parallel recipe as written (-S : runs them here),
# then nfguard merge: every repository in exactly one shard (the split
# pinned: it is a hash every machine must compute alike), and the merged
# report equal to the unsharded sweep's (findings in the same order,
# incidents, per-repository entries but seconds, the totals). The
# GitHub Actions and Kubernetes recipes parse as YAML, and their nfguard
# command lines are extracted and run, with the same result.
set -eu

command -v parallel >/dev/null 2>&1 || skip "GNU parallel is not installed"
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"

# The recipes call nfguard from PATH: the binary under test.
mkdir bin
cat >bin/nfguard <<'EOF'
#!/bin/sh
. "$SRCDIR/tests/e2e/lib.sh"
nfguard_exec "$@"
EOF
chmod +x bin/nfguard
PATH=$(pwd -P)/bin:$PATH
export PATH

ts=$(mktoken)
mkdir src
n=0
for r in alpha beta gamma delta epsilon zeta; do
	n=$((n + 1))
	mkrepo "src/$r"
	(
		cd "src/$r"
		printf 'id=%s\nkey=%s\n' "$r" "$(mktoken)" >conf.env
		commit_at "2024-0$n-01 10:00:00 +0000" one
		case $r in beta | delta | zeta)
			printf 'shared: %s\n' "$ts" >shared.txt
			commit_at "2024-0$n-02 10:00:00 +0000" two
			;;
		esac
	)
done
mkrepo src/empty

# Each recipe runs in a folder of its own holding the list and the
# repositories under the names it lists.
setup() {
	mkdir "$1"
	for r in alpha beta gamma delta epsilon zeta empty; do
		ln -s "../src/$r" "$1/$r"
	done
	printf '# the fleet\nalpha\nbeta\ngamma\ndelta\nepsilon\nzeta\nempty\n' \
		>"$1/repos.txt"
}

# same DIR: DIR's merged sweep.json is DIR's unsharded all.json.
same() {
	(cd "$1" && nfg git --repos-from repos.txt -f json -o all.json)
	expect_rc 1
	view='.findings, .incidents, [.scan.repositories[] | del(.seconds)],
		(.scan | del(.started_at, .duration_ms, .repositories))'
	assert_eq "$(jq -c "$view" "$1/sweep.json")" \
		"$(jq -c "$view" "$1/all.json")" "$1: merged vs unsharded"
	assert_eq "$(jq '.findings | length' "$1/sweep.json")" 9 \
		"$1: findings"
	assert_eq "$(jq -c '[.incidents[] | .repositories]' "$1/sweep.json")" \
		'[["beta","delta","zeta"]]' "$1: the incident"
}

# GNU parallel, as written, every shard on this machine.
setup par
(
	cd par
	set +e
	"$SRCDIR/recipes/sweep/parallel-sweep.sh" : 3 repos.txt -f json \
		-o sweep.json >"$WORK/par.out" 2>"$WORK/par.err"
	echo $? >"$WORK/par.rc"
)
rc=$(cat "$WORK/par.rc")
[ "$rc" = 1 ] || {
	cat "$WORK/par.err" >&2
	fail "parallel-sweep.sh exited $rc, expected 1"
}
# The split is SHA-256 of each key, mod 3: the same on every machine.
split=$(for i in 1 2 3; do
	jq -r '"\(.scan.shard.index)/\(.scan.shard.count): " +
		([.scan.repositories[].repository] | join(" ")) +
		" of \(.scan.targets | length)"' "par/shard-$i.json"
done)
assert_eq "$split" "1/3: beta gamma of 7
2/3: delta zeta empty of 7
3/3: alpha epsilon of 7" "the shards"
assert_eq "$(jq -r '.scan.repositories[].repository' par/shard-*.json |
	sort | uniq -c | awk '{ print $1 }' | sort -u)" 1 "each repository once"
assert_eq "$(jq -r '.scan.repositories[].repository' par/shard-*.json | wc -l)" \
	7 "every repository"
same par

# The YAML recipes: parsed, checked for the shape that makes them shard,
# and their nfguard command lines run as written.
python3 - "$SRCDIR/recipes/sweep" >"$WORK/yaml.cmds" <<'EOF'
import os, sys, yaml

d = sys.argv[1]
def load(name):
    with open(os.path.join(d, name)) as f:
        return list(yaml.safe_load_all(f))
def runs(steps):
    return [s["run"] for s in steps if s.get("run", "").startswith("nfguard ")]

gha = load("github-actions.yml")[0]
shards = gha["jobs"]["sweep"]["strategy"]["matrix"]["shard"]
assert shards == [1, 2, 3], shards
sweep = runs(gha["jobs"]["sweep"]["steps"])
merge = runs(gha["jobs"]["merge"]["steps"])
assert len(sweep) == 1 and len(merge) == 1, (sweep, merge)
assert gha["jobs"]["merge"]["needs"] == "sweep"
for i in shards:
    print("gha\t" + sweep[0].replace("${{ matrix.shard }}", str(i)))
print("gha\t" + merge[0])

job = [x for x in load("kubernetes.yml") if x["kind"] == "Job"][0]
assert job["spec"]["completionMode"] == "Indexed"
n = job["spec"]["completions"]
assert n == 3, n
c = job["spec"]["template"]["spec"]["containers"][0]["command"]
assert c[:2] == ["sh", "-c"], c
for i in range(n):
    print("k8s\tJOB_COMPLETION_INDEX=%d; %s" % (i, c[2]))
m = load("kubernetes-merge.yml")[0]
c = m["spec"]["template"]["spec"]["containers"][0]["command"]
assert c[:2] == ["sh", "-c"], c
print("k8s\t" + c[2])
EOF
for dir in gha k8s; do
	setup "$dir"
	grep "^$dir	" "$WORK/yaml.cmds" | cut -f2- >"$WORK/$dir.cmds"
	assert_eq "$(grep -c 'nfguard git --repos-from repos.txt --shard' \
		"$WORK/$dir.cmds")" 3 "$dir: sweep commands"
	while IFS= read -r cmd; do
		(cd "$dir" && sh -c "$cmd") >"$WORK/$dir.out" 2>&1 && rc=0 || rc=$?
		case $cmd in
		*"nfguard merge"*) [ "$rc" = 1 ] ;;
		*) [ "$rc" = 0 ] ;;
		esac || {
			cat "$WORK/$dir.out" >&2
			fail "$dir: '$cmd' exited $rc"
		}
	done <"$WORK/$dir.cmds"
	same "$dir"
done

# --shard is checked; a shard that holds no repository is a clean sweep
# of nothing that says so.
nfg git --shard 0/3 src/alpha
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --shard: '0/3' is not I/N (1 <= I <= N <= 10000)" "0/3"
nfg git --shard 4/3 src/alpha
expect_rc 2
nfg git --shard 3 src/alpha
expect_rc 2
nfg git --shard 1/3 -f json src/alpha
expect_rc 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: shard 1/3 holds none of the 1 repository listed: nothing to sweep
nfguard: warning: nothing was scanned (0 bytes)" "an empty shard"
assert_eq "$(jq -c '[.scan.targets, .scan.repositories, .scan.shard]' "$WORK/out")" \
	'[["src/alpha"],[],{"index":1,"count":3}]' "the empty shard's report"
nfg git --shard 2/3 -f json src/alpha
expect_rc 1
assert_eq "$(jq -c '[.scan.repositories[].repository]' "$WORK/out")" \
	'["src/alpha"]' "its shard"
