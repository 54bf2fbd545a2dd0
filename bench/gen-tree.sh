#!/bin/sh
# Generates a benchmark tree of about SIZE_MB megabytes: source and text
# files of varied sizes in nested folders (lines drawn from the system's own
# headers and scripts), a few large files, a 2 MB minified line, CRLF files,
# binary files, and Notiflows tokens built at run time and planted at known
# places, plus decoys that must not be reported (placeholders, conf_at_...,
# bodies too short or too long, a token inside .git, symlinks).
#
# Usage: bench/gen-tree.sh DIR SIZE_MB [SEED]
# Writes DIR (which must not exist) and DIR.planted: one line per planted
# token, "path<TAB>line<TAB>column<TAB>end_column", path relative to DIR,
# sorted bytewise; DIR.encoded lists the encoded tokens the same way (a
# base64 token at its run, an archive entry as ARCHIVE!ENTRY). The same
# SEED on the same system gives the same tree. Needs python3 (archives).
set -eu

usage() {
	echo "usage: $0 DIR SIZE_MB [SEED]" >&2
	exit 2
}
[ $# -ge 2 ] && [ $# -le 3 ] || usage
dir=$1 size_mb=$2 seed=${3:-1}
case $size_mb in '' | *[!0-9]*) usage ;; esac
case $seed in '' | *[!0-9]*) usage ;; esac
[ "$size_mb" -ge 1 ] || usage
if [ -e "$dir" ] || [ -L "$dir" ]; then
	echo "$0: '$dir' already exists" >&2
	exit 2
fi

export LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfg-gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dir"

# Pool of real-looking lines: C headers, Python and Perl modules, licences.
# Lines that already look like a token are dropped so only planted ones
# count.
for d in /usr/include /usr/lib/python3 /usr/share/perl5 \
	/usr/share/common-licenses; do
	[ -d "$d" ] || continue
	find "$d" -type f \( -name '*.h' -o -name '*.py' -o -name '*.pm' \
		-o -path '*/common-licenses/*' \) -size -200k 2>/dev/null |
		sort | head -n 1500
done >"$tmp/sources"
if [ -s "$tmp/sources" ]; then
	tr '\n' '\0' <"$tmp/sources" | xargs -0 cat 2>/dev/null |
		awk 'length($0) <= 200 && index($0, "_at_") == 0' |
		tr -d '\r\000' | head -n 200000 >"$tmp/pool" || true
fi
if [ ! -s "$tmp/pool" ]; then
	# No system text: a small synthetic vocabulary instead.
	awk 'BEGIN { for (i = 0; i < 5000; i++)
		printf "    value_%d = compute(item_%d, %d); /* step %d */\n",
			i, i % 97, i * 7, i }' >"$tmp/pool"
fi

cat >"$tmp/gen.awk" <<'EOF'
# Reads the pool, then writes the tree. Outputs: dirs list (created before
# any file), planted list, binary file specs for the shell part.
function rbody(n,    s, i) {
	s = ""
	for (i = 0; i < n; i++)
		s = s substr(ALNUM, int(rand() * 62) + 1, 1)
	return s
}
function tok(    n, r) {
	r = rand()
	if (r < 0.02)
		n = 16
	else if (r < 0.03)
		n = 256
	else
		n = 20 + int(rand() * 45)
	return P rbody(n)
}
function logu(a, b) {
	return int(exp(log(a) + rand() * (log(b) - log(a))))
}
function pick(arr, n) {
	return arr[int(rand() * n) + 1]
}
function plant(path, line, col, t) {
	printf "%s\t%d\t%d\t%d\n", path, line, col, col + length(t) > PLANTED
	nplanted++
}
# A line holding one or two planted tokens; records them.
function token_line(path, line,    r, t, t2, pre, s) {
	t = tok()
	r = int(rand() * 10)
	if (r == 9) {
		t2 = tok()
		pre = "primary=" t " secondary="
		plant(path, line, 9, t)
		plant(path, line, length(pre) + 1, t2)
		return pre t2
	}
	if (r == 8) {
		s = pick(POOL, NPOOL) " "
		plant(path, line, length(s) + 1, t)
		return s t
	}
	pre = FORM_PRE[r + 1]
	plant(path, line, length(pre) + 1, t)
	return pre t FORM_POST[r + 1]
}
function decoy(    r) {
	r = int(rand() * 8)
	if (r == 0)
		return "NOTIFLOWS_TOKEN=" P "your_account_token_here"
	if (r == 1)
		return "token: " P "xxx"
	if (r == 2)
		return "auth = conf_at_" rbody(32)
	if (r == 3)
		return "export NOTIFLOWS_TOKEN=" P "${NOTIFLOWS_TOKEN}"
	if (r == 4)
		return "key=" P "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	if (r == 5)
		return "short=" P rbody(15)
	if (r == 6)
		return "long=" P rbody(300)
	return "Authorization: Bearer " P "<token>"
}
# Writes one text file of about size bytes (path not written before).
function text_file(path, size, crlf,    f, n, line, l, eol) {
	f = ROOT "/" path
	USED[path] = 1
	eol = crlf ? "\r" : ""
	n = 0
	line = 0
	while (n < size) {
		line++
		if (rand() < TOKP) {
			l = token_line(path, line)
		} else if (rand() < DECOYP) {
			l = decoy()
		} else {
			l = POOL[int(rand() * NPOOL) + 1]
		}
		print l eol > f
		n += length(l) + 1 + crlf
	}
	close(f)
	return n
}
# One long minified line with tokens inside it.
function minified(path, size,    f, n, s, t, col) {
	f = ROOT "/" path
	n = 0
	col = 1
	while (n < size) {
		if (rand() < 0.0005) {
			t = tok()
			s = ";var k=\""
			plant(path, 1, col + length(s), t)
			s = s t "\""
		} else {
			s = ";" POOL[int(rand() * NPOOL) + 1]
			gsub(/[ \t]+/, " ", s)
		}
		printf "%s", s > f
		n += length(s)
		col += length(s)
	}
	printf "\n" > f
	close(f)
	return n + 1
}
BEGIN {
	ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	P = "nf_" "at_"
	srand(SEED)
	while ((getline l < POOLFILE) > 0)
		POOL[++NPOOL] = l
	close(POOLFILE)

	# Token contexts (prefix/suffix), r = 0..7.
	FORM_PRE[1] = "NOTIFLOWS_TOKEN="; FORM_POST[1] = ""
	FORM_PRE[2] = "export NOTIFLOWS_TOKEN=\""; FORM_POST[2] = "\""
	FORM_PRE[3] = "      \"Authorization\": \"Bearer "; FORM_POST[3] = "\","
	FORM_PRE[4] = "curl -H 'Authorization: Bearer "
	FORM_POST[4] = "' https://api.notiflows.com/v1/me"
	FORM_PRE[5] = "const client = new Notiflows({ token: '"
	FORM_POST[5] = "' });"
	FORM_PRE[6] = "notiflows_token = \""; FORM_POST[6] = "\"  # rotate"
	FORM_PRE[7] = "https://api.notiflows.com/v1/events?token="
	FORM_POST[7] = "&page=2"
	FORM_PRE[8] = "token: "; FORM_POST[8] = ""

	total = SIZE_MB * 1048576
	TOKP = 40 / 262144	# about one token per 256 KiB of text
	DECOYP = 40 / 1048576	# about one decoy per MiB

	# Folders: nested, a few with spaces and non-ASCII names.
	nparts = split("src lib pkg internal app components utils config " \
		"docs test tests vendor scripts api core models services " \
		"handlers assets build web cmd server client db migrations " \
		"fixtures examples deploy charts", PART, " ")
	ndirs = int(total / 400000) + 8
	DIRS[1] = "."
	DIRS[2] = "docs/\303\234bersicht notes"
	DIRS[3] = "deploy/k8s/overlays/prod"
	DIRS[4] = "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"
	DIRS[5] = "data/export"
	DIRS[6] = "web/dist"
	for (i = 7; i <= ndirs; i++) {
		parent = DIRS[int(rand() * (i - 1)) + 1]
		name = pick(PART, nparts)
		if (rand() < 0.3)
			name = name "_" i
		DIRS[i] = (parent == ".") ? name : parent "/" name
	}
	for (i = 1; i <= ndirs; i++)
		print DIRS[i] > DIRLIST
	close(DIRLIST)
	system("cd \"" ROOT "\" && tr '\\n' '\\0' < \"" DIRLIST \
		"\" | xargs -0 mkdir -p")

	nexts = split(".c .h .py .ts .tsx .js .go .rs .java .rb .md .txt " \
		".json .yaml .yml .toml .ini .sh .sql .log .html .css", EXT, " ")
	nbases = split("main index handler client server util config " \
		"settings model service test helper api routes schema " \
		"README notes app worker job task types", BASE, " ")

	done = 0
	bin_budget = int(total * 0.05)
	text_budget = total - bin_budget

	# Fixed files: a large file, a minified line, special names.
	big = int(total / 8)
	if (big > 12582912)
		big = 12582912
	done += text_file("data/export/events.log", big, 0)
	done += minified("web/dist/app.min.js", 2097152)
	done += text_file("docs/\303\234bersicht notes/caf\303\251 menu.md", 4000, 0)
	done += text_file(".env", 600, 0)
	done += text_file("deploy/k8s/overlays/prod/.env.production", 900, 1)
	done += text_file("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/deep.txt", 3000, 0)

	nfile = 0
	while (done < text_budget) {
		nfile++
		r = rand()
		if (r < 0.85)
			s = logu(200, 16384)
		else if (r < 0.98)
			s = logu(16384, 131072)
		else if (r < 0.998)
			s = logu(131072, 2097152)
		else
			s = logu(4194304, 16777216)
		if (s > text_budget - done + 200)
			s = text_budget - done + 200
		d = DIRS[int(rand() * ndirs) + 1]
		if (rand() < 0.02)
			b = ".env"
		else
			b = pick(BASE, nbases) "_" nfile pick(EXT, nexts)
		p = (d == ".") ? b : d "/" b
		# A second .env in a folder would overwrite the first one and
		# leave its tokens planted in the list only.
		if (p in USED)
			p = p "." nfile
		done += text_file(p, s, rand() < 0.05)
	}

	# Binary files: specs for the shell (path, size, token or "-").
	nb = int(bin_budget / 1048576) + 4
	for (i = 1; i <= nb; i++) {
		d = DIRS[int(rand() * ndirs) + 1]
		b = "blob_" i (rand() < 0.5 ? ".bin" : ".sqlite")
		p = (d == ".") ? b : d "/" b
		t = (rand() < 0.5) ? tok() : "-"
		printf "%s\t%d\t%s\n", p, int(bin_budget / nb), t > BINSPEC
	}
	close(BINSPEC)
	# Decoy inside .git: skipped by nfguard dir.
	print "[notiflows]\n\ttoken = " tok() > (ROOT "/.git/config")
	close(ROOT "/.git/config")
	# Encoded tokens: one per kind, written by the shell (ENCSPEC).
	nkinds = split("k8s docker har ps1 gz zip tgz", KIND, " ")
	for (i = 1; i <= nkinds; i++)
		printf "%s\t%s\n", KIND[i], P rbody(32 + int(rand() * 16)) \
			> ENCSPEC
	close(ENCSPEC)
}
EOF

mkdir -p "$dir/.git"
awk -v SEED="$seed" -v SIZE_MB="$size_mb" -v ROOT="$dir" \
	-v POOLFILE="$tmp/pool" -v PLANTED="$tmp/planted" \
	-v DIRLIST="$tmp/dirs" -v BINSPEC="$tmp/bins" -v ENCSPEC="$tmp/enc" \
	-f "$tmp/gen.awk"

# Binary files: a deterministic keystream (or /dev/urandom without
# openssl); a planted token sits after a newline and before a NUL byte.
i=0
while IFS="$(printf '\t')" read -r path size token; do
	i=$((i + 1))
	half=$((size / 2))
	if command -v openssl >/dev/null 2>&1; then
		openssl enc -aes-128-ctr -nosalt -pbkdf2 -iter 1 \
			-pass "pass:nfguard-bench-$seed-$i" </dev/zero 2>/dev/null |
			head -c "$size" >"$tmp/rand"
	else
		head -c "$size" /dev/urandom >"$tmp/rand"
	fi
	if [ "$token" = - ]; then
		mv "$tmp/rand" "$dir/$path"
		continue
	fi
	head -c "$half" "$tmp/rand" >"$tmp/a"
	nl=$(tr -cd '\n' <"$tmp/a" | wc -c)
	{
		cat "$tmp/a"
		printf '\nkey=%s\000' "$token"
		tail -c +"$((half + 1))" "$tmp/rand"
	} >"$dir/$path"
	printf '%s\t%d\t%d\t%d\n' "$path" "$((nl + 2))" 5 \
		"$((5 + ${#token}))" >>"$tmp/planted"
done <"$tmp/bins"

# Encoded tokens, in the places and forms where leaks hide: base64 in a
# Kubernetes Secret, a Docker config.json and an HTTP archive's Basic
# header, UTF-16LE with a BOM, a gzip log, an .env in a zip, base64 JSON
# in a tar.gz. Each is listed at its location: a base64 run, a UTF-16
# token's code units, ARCHIVE!ENTRY and the line in the entry.
b64() { printf '%s' "$1" | base64 -w0; }
# at PATH LINE COLUMN LENGTH: lists an encoded token's location.
at() {
	printf '%s\t%d\t%d\t%d\n' "$1" "$2" "$3" "$(($3 + $4))" >>"$tmp/encoded"
}
mkarchive() { python3 "$(dirname "$0")/../tests/tools/mkarchive.py" "$@"; }
: >"$tmp/encoded"
mkdir -p "$dir/deploy/docker" "$dir/scripts" "$dir/build" "$dir/dist"
while IFS="$(printf '\t')" read -r kind token; do
	case $kind in
	k8s)
		p=deploy/k8s/overlays/prod/secret.yaml e=$(b64 "$token")
		printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n' \
			notiflows >"$dir/$p"
		printf 'type: Opaque\ndata:\n  token: %s\n' "$e" >>"$dir/$p"
		at "$p" 7 10 "${#e}"
		;;
	docker)
		p=deploy/docker/config.json e=$(b64 "ci-bot:$token")
		printf '{\n  "auths": {\n    "registry.example.com": {\n' \
			>"$dir/$p"
		printf '      "auth": "%s"\n    }\n  }\n}\n' "$e" >>"$dir/$p"
		at "$p" 4 16 "${#e}"
		;;
	har)
		p=data/export/requests.har e=$(b64 "api:$token")
		pre='{"log":{"entries":[{"request":{"method":"GET","headers":'
		pre=$pre'[{"name":"Authorization","value":"Basic '
		printf '%s%s"}]}}]}}\n' "$pre" "$e" >"$dir/$p"
		at "$p" 1 "$((${#pre} + 1))" "${#e}"
		;;
	ps1)
		# Line 2 starts with the 0 byte of line 1's line feed.
		p=scripts/deploy.ps1 pre='$env:NOTIFLOWS_TOKEN = "'
		{
			printf '\377\376'
			printf '# deploy the notifier\r\n%s%s"\r\n' "$pre" \
				"$token" | iconv -f UTF-8 -t UTF-16LE
		} >"$dir/$p"
		at "$p" 2 "$((2 + 2 * ${#pre}))" "$((2 * ${#token}))"
		;;
	gz)
		p=data/export/app.log.gz
		pre='2024-01-01T00:00:02Z NOTIFLOWS_TOKEN='
		printf '2024-01-01T00:00:00Z start\n%s%s\n' "$pre" "$token" \
			>"$tmp/app.log"
		mkarchive gzip "$dir/$p" "$tmp/app.log"
		at "$p" 2 "$((${#pre} + 1))" "${#token}"
		;;
	zip)
		printf 'APP=notifier\nNOTIFLOWS_TOKEN=%s\n' "$token" >"$tmp/env"
		mkarchive zip "$dir/build/release.zip" "config/.env=$tmp/env"
		at 'build/release.zip!config/.env' 2 17 "${#token}"
		;;
	tgz)
		e=$(b64 "nf:$token")
		printf '{\n  "auth": "%s"\n}\n' "$e" >"$tmp/app.json"
		mkarchive tar.gz "$dir/dist/bundle.tar.gz" \
			"conf/app.json=$tmp/app.json"
		at 'dist/bundle.tar.gz!conf/app.json' 2 12 "${#e}"
		;;
	esac
done <"$tmp/enc"

# Symlinks are not followed: a link to a file with tokens, and a loop.
ln -s .env "$dir/env-link"
ln -s . "$dir/loop"

sort "$tmp/encoded" >"$dir.encoded"
sort "$tmp/planted" >"$dir.planted"
