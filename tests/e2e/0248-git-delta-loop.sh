#!/bin/sh
# nfguard git on a pack whose reference deltas are each other's base (git
# never writes one): the reader refuses the loop, names the blob, counts an
# error and scans the rest. libgit2 1.5 follows such a loop forever, its
# memory growing until the process dies, so no scan may hand it the blob:
# full scans, ranges, --ref and --unreachable alike.
set -eu

# x and y: reference deltas on each other; the tree names x as loop.bin.
# The pack comes last: git itself would follow the loop forever.
x=$(printf x | sha1sum | cut -d' ' -f1)
t=$(mktoken)
leak_and_missing loop.bin "$x" "$t"
python3 - .git/objects/pack <<'PY'
import hashlib, os, sys
sys.dont_write_bytecode = True  # nothing written in the source tree
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "tools"))
import packwriter as pw
x, y = hashlib.sha1(b"x").digest(), hashlib.sha1(b"y").digest()
p = pw.Pack()
same = pw.delta_size(10) + pw.delta_size(10) + b"\x90\x0a"
p.ref_delta(y, same, x)
p.ref_delta(x, same, y)
p.write(sys.argv[1])
PY
cd ..

line="nfguard: cannot read blob $x: delta chain loops"
# Each line: findings (leak.txt is outside the range), blobs scanned,
# errors, then the arguments.
while read -r n blobs errors args; do
	# shellcheck disable=SC2086
	nfg git -f json $args r </dev/null
	expect_rc 2
	expect_count "$n"
	assert_eq "$(jq_out '"\(.scan.blobs_scanned) \(.scan.errors)"')" \
		"$blobs $errors" "scan.blobs_scanned, scan.errors ($args)"
	case $args in
	--unreachable)
		# y too: no ref reaches it, and its type is read from the pack.
		y=$(printf y | sha1sum | cut -d' ' -f1)
		want=$(printf '%s\nnfguard: cannot read object %s: delta chain loops' \
			"$line" "$y")
		;;
	*) want=$line ;;
	esac
	assert_eq "$(cat "$WORK/err")" "$want" "stderr ($args)"
done <<EOF
1 1 1
0 0 1 --range HEAD~1..HEAD
1 1 1 --ref main
1 1 2 --unreachable
EOF
