#!/bin/sh
# A repository with more packs than open files allowed: 300 packs (one per
# commit, as fetches that never repack leave them) read whole under a hard
# limit of 256 descriptors, where libgit2 used to keep one open per pack
# and then lose objects ("object not found", part of history unscanned).
set -eu

npacks=300
tfirst=$(mktoken) tlast=$(mktoken)
mkrepo many
cd many
# fast-import writes one pack per checkpoint (unpackLimit=0: even tiny
# ones stay packs); commit i adds f<i>.txt.
i=1
while [ "$i" -le "$npacks" ]; do
	case $i in
	1) body="F=$tfirst" ;;
	"$npacks") body="L=$tlast" ;;
	*) body="file $i" ;;
	esac
	printf 'blob\nmark :%d\ndata <<EOT\n%s\nEOT\n' $((2 * i)) "$body"
	printf 'commit refs/heads/main\nmark :%d\n' $((2 * i + 1))
	printf 'committer C <c@example.com> %d +0000\n' $((1700000000 + i))
	printf 'data <<EOT\nc%d\nEOT\nM 100644 :%d f%d.txt\ncheckpoint\n' \
		"$i" $((2 * i)) "$i"
	i=$((i + 1))
done | git -c fastimport.unpackLimit=0 fast-import --quiet
assert_eq "$(git count-objects -v | sed -n 's/^packs: //p')" "$npacks" \
	"setup: packs"
cfirst=$(git rev-list --max-parents=0 HEAD)
clast=$(git rev-parse HEAD)
cd ..

for j in 1 4; do
	set +e
	(
		ulimit -n 256
		[ "$(ulimit -Hn)" = 256 ] || fail "setup: hard limit $(ulimit -Hn)"
		nfguard git -f json -j "$j" many
	) >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
	expect_rc 1
	expect_no_stderr
	assert_eq "$(jq_out '"\(.scan.commits) \(.scan.blobs_scanned)"')" \
		"$npacks $npacks" "-j $j: commits and blobs scanned"
	expect_count 2
	expect_finding f1.txt 1 3 "$tfirst"
	expect_git "$tfirst" commit="$cfirst"
	expect_finding "f$npacks.txt" 1 3 "$tlast"
	expect_git "$tlast" commit="$clast"
done
