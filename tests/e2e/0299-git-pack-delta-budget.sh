#!/bin/sh
# nfguard git on a pack of a few KiB: a 1 MiB base, a 64 MiB delta over
# it, and 20 deltas over that one, each building 64 MiB again (the delta
# base cache keeps no object that large). No object passes its own bound
# (2 GiB), but together they would build 2.5 GiB, and a thousand such
# deltas hours. A pack's delta work in one scan is bounded by 2 GiB +
# 4096 times its size: the objects met once it is spent are named, each
# an error (exit 2), the rest is scanned.
set -eu

mkrepo r
cd r
t=$(mktoken)
printf 'T=%s\n' "$t" >leak.txt
commit_at '2024-01-01 10:00:00 +0000' 'leak'
rm -f .git/objects/pack/pack-*
# Prints the ids of the deltas over the 64 MiB one (hex, pack order) and
# last the budget in MiB; the work each costs is computed as the reader
# counts it (its base and each delta inflated, each result built).
python3 - .git/objects/pack >"$WORK/pack.txt" <<'PY'
import hashlib, os, sys
sys.dont_write_bytecode = True  # nothing written in the source tree
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "tools"))
import packwriter as pw
mib = 1 << 20
p = pw.Pack()
base = p.whole(pw.BLOB, bytes(mib))
mid_delta = pw.copies(mib, 64, mib)
mid = p.ofs_delta(base, mid_delta, hashlib.sha1(b"mid").digest())
tops = []
for i in range(20):
    oid = hashlib.sha1(b"top%d" % i).digest()
    top_delta = pw.copies(64 * mib, 64, mib)
    p.ofs_delta(mid, top_delta, oid)
    tops.append(oid.hex())
name = p.write(sys.argv[1])
size = os.path.getsize(os.path.join(sys.argv[1], "pack-%s.pack" % name))
budget = (2 << 30) + 4096 * size
spent = mib + len(mid_delta) + 64 * mib  # the mid object itself
refused = []
for oid in tops:
    if spent >= budget:
        refused.append(oid)
        continue
    spent += mib + len(mid_delta) + 64 * mib + len(top_delta) + 64 * mib
# The test is meaningful only when some are refused and some are not.
assert 0 < len(refused) < len(tops) and size < 8192
for oid in refused:
    print(oid)
print(budget >> 20)
PY
pack=$(cd .git && ls objects/pack/*.pack)
cd ..
mib=$(tail -n 1 "$WORK/pack.txt")
: >"$WORK/want"
# Problems are said in id order.
for id in $(sed '$d' "$WORK/pack.txt" | sort); do
	printf 'nfguard: cannot read blob %s: its pack'"'"'s delta work passed %s MiB\n' \
		"$id" "$mib" >>"$WORK/want"
done
n=$(wc -l <"$WORK/want")

nfg git -f json --jobs 1 r </dev/null
expect_rc 2
expect_count 1
expect_git "$t" path=leak.txt location=file
assert_eq "$(cat "$WORK/err")" "$(cat "$WORK/want")" "stderr ($pack)"
assert_eq "$(jq_out '.scan.errors')" "$n" "scan.errors"
