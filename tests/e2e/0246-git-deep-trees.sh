#!/bin/sh
# nfguard git on trees nested deeper than any C stack could recurse: the
# tree walks (whole history and range), and attribution, use heap stacks.
# 30,000 nested folders crashed a full scan, and 5,000 a range scan.
set -eu

t=$(mktoken)
# deep_commit DEPTH: a commit on main whose only file sits DEPTH folders
# down (fast-import: no work tree could hold such a path).
deep_commit() {
	python3 - "$1" "$t" <<'PY' | git fast-import --quiet
import sys
depth, token = int(sys.argv[1]), sys.argv[2]
path = "/".join(["d"] * depth) + "/f.env"
data = ("T=" + token + "\n").encode()
out = sys.stdout.buffer
out.write(b"commit refs/heads/main\n")
out.write(b"committer A <a@example.com> 1700000000 +0000\ndata 4\ndeep\n")
out.write(b"from refs/heads/main^0\n")
out.write(b"M 100644 inline " + path.encode() + b"\n")
out.write(b"data %d\n" % len(data) + data + b"\n")
PY
}

for depth in 30000 5000; do
	rm -rf r
	mkrepo r
	cd r
	echo base >base.txt
	git add base.txt
	commit_at '2024-01-01 10:00:00 +0000' 'base'
	deep_commit "$depth"
	c=$(git rev-parse main)
	cd ..
	want=$(python3 -c 'import sys; print("/".join(["d"] * int(sys.argv[1])) + "/f.env")' "$depth")
	for args in "" "--range HEAD~1..HEAD"; do
		# shellcheck disable=SC2086
		nfg git -f json $args r
		expect_rc 1
		expect_count 1
		assert_eq "$(jq_out '.findings[0].path')" "$want" \
			"path at depth $depth ($args)"
		assert_eq "$(jq_out '.findings[0] | "\(.line) \(.column) \(.commit)"')" \
			"1 3 $c" "place at depth $depth ($args)"
	done
done
