#!/bin/sh
# The Debian package: cpack -G DEB from the build folder makes it with the
# project's version and Depends computed from the binary's libraries;
# lintian finds no error and no warning; dpkg -i installs it; the
# installed /usr/bin/nfguard finds a planted token; man, bash, zsh and fish
# find its page and completions; dpkg -r leaves none of its files behind.
set -eu

[ "$(id -u)" = 0 ] || skip "dpkg -i needs root (CI runs as root)"
# dpkg runs ldconfig and start-stop-daemon from root's PATH.
PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH
export PATH
for t in cpack dpkg-shlibdeps lintian man bash zsh fish; do
	command -v "$t" >/dev/null || skip "$t is not installed"
done
[ -f /usr/share/bash-completion/bash_completion ] ||
	skip "bash-completion is not installed"
! dpkg-query -W -f '${db:Status-Abbrev}' nfguard 2>/dev/null | grep -q '^i' ||
	skip "a package nfguard is installed already: not replacing it"

ver=$("$NFGUARD" --version | sed -n 's/^nfguard //p')
arch=$(dpkg --print-architecture)
run_cmd cpack -G DEB -B "$WORK/pkg" --config "$BUILDDIR/CPackConfig.cmake"
[ "$rc" = 0 ] || { cat "$WORK/out" "$WORK/err" >&2; fail "cpack: exit $rc"; }
deb=$WORK/pkg/nfguard_${ver}_$arch.deb
[ -f "$deb" ] || fail "no $deb: $(ls "$WORK/pkg")"

# The control fields: the version is the binary's, Depends dpkg-shlibdeps'.
assert_eq "$(dpkg-deb -f "$deb" Package Version Architecture Section)" \
	"Package: nfguard
Version: $ver
Architecture: $arch
Section: devel" "control fields"
# A sanitizer build (CI's ASan pass packages it too) also needs the
# sanitizer runtimes, and dpkg-shlibdeps says so.
want="libarchive13 libc6 libcjson1 libcurl4 libdeflate0 libgit2-1.5 liblzma5 libpcre2-8-0 zlib1g"
if ldd "$NFGUARD" | grep -q 'libasan\.so'; then
	want="libarchive13 libasan8 libc6 libcjson1 libcurl4 libdeflate0 libgit2-1.5 liblzma5 libpcre2-8-0 libubsan1 zlib1g"
fi
assert_eq "$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
	sed 's/^ *\([^ ]*\).*/\1/' | sort | tr '\n' ' ')" "$want " \
	"Depends (package names)"
dpkg-deb -f "$deb" Depends | grep -q 'libgit2-1.5 (>= ' ||
	fail "Depends without versions: $(dpkg-deb -f "$deb" Depends)"

# Every file, in its FHS place.
assert_eq "$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $1, $6 }' | sort)" \
	"-rw-r--r-- ./usr/share/bash-completion/completions/nfguard
-rw-r--r-- ./usr/share/doc/nfguard/README.md
-rw-r--r-- ./usr/share/doc/nfguard/changelog.gz
-rw-r--r-- ./usr/share/doc/nfguard/copyright
-rw-r--r-- ./usr/share/fish/vendor_completions.d/nfguard.fish
-rw-r--r-- ./usr/share/man/man1/nfguard.1.gz
-rw-r--r-- ./usr/share/nfguard/rules/notiflows.json
-rw-r--r-- ./usr/share/zsh/vendor-completions/_nfguard
-rwxr-xr-x ./usr/bin/nfguard
-rwxr-xr-x ./usr/share/nfguard/hooks/chain
-rwxr-xr-x ./usr/share/nfguard/hooks/pre-commit
-rwxr-xr-x ./usr/share/nfguard/hooks/pre-push
-rwxr-xr-x ./usr/share/nfguard/hooks/pre-receive" "files of the package"
[ -z "$(dpkg-deb -c "$deb" | awk '$2 != "root/root"')" ] ||
	fail "files not owned by root: $(dpkg-deb -c "$deb")"

# lintian: no error, no warning (cmake/package.cmake explains the
# informational tags it still shows).
run_cmd lintian --fail-on error,warning "$deb"
[ "$rc" = 0 ] && ! grep -q '^[EW]:' "$WORK/out" || {
	cat "$WORK/out" >&2
	fail "lintian: exit $rc"
}

# Installed: removed again however the test ends.
trap 'dpkg -r nfguard >/dev/null 2>&1 || :' EXIT
run_cmd dpkg -i "$deb"
[ "$rc" = 0 ] || { cat "$WORK/out" "$WORK/err" >&2; fail "dpkg -i: $rc"; }
dpkg-query -L nfguard | sort >listed
[ -x /usr/bin/nfguard ] || fail "no /usr/bin/nfguard"

NFGUARD=/usr/bin/nfguard
mkdir -p proj/conf
t=$(mktoken)
printf 'name: api\ntoken: %s\n' "$t" >proj/conf/app.yaml
nfg dir -f json proj
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding conf/app.yaml 2 8 "$t"
nfg --version
expect_rc 0
assert_eq "$(head -n 1 "$WORK/out")" "nfguard $ver" "installed --version"

# man finds the page.
run_cmd man -w nfguard
assert_eq "$(cat "$WORK/out")" /usr/share/man/man1/nfguard.1.gz "man -w"
run_cmd env MANWIDTH=80 man -P cat nfguard
[ "$rc" = 0 ] && grep -q '^ *nfguard - find leaked Notiflows account tokens$' "$WORK/out" ||
	fail "man nfguard: exit $rc"

# Each shell finds the completion where it looks on its own.
run_cmd bash -c '. /usr/share/bash-completion/bash_completion &&
	_completion_loader nfguard; complete -p nfguard'
assert_eq "$(cat "$WORK/out")" "complete -F _nfguard nfguard" \
	"bash-completion's loader"
run_cmd zsh -c 'autoload -U compinit && compinit -u -d "$HOME/.zcd" &&
	print -r -- "${_comps[nfguard]}"'
assert_eq "$(cat "$WORK/out")" _nfguard "zsh compinit"
run_cmd fish -c 'complete -C "nfguard di"'
assert_eq "$(cut -f 1 "$WORK/out")" dir "fish: nfguard di"

# Removed: no file of the package is left (folders other packages own may
# stay).
run_cmd dpkg -r nfguard
[ "$rc" = 0 ] || { cat "$WORK/out" "$WORK/err" >&2; fail "dpkg -r: $rc"; }
trap - EXIT
! dpkg-query -W -f '${db:Status-Abbrev}' nfguard 2>/dev/null | grep -q '^i' ||
	fail "nfguard still installed after dpkg -r"
[ "$(wc -l <listed)" -gt 20 ] || fail "dpkg -L listed $(wc -l <listed)"
while IFS= read -r f; do
	[ -e "$f" ] || [ -L "$f" ] || continue
	[ -d "$f" ] && [ ! -L "$f" ] && dpkg-query -S "$f" >/dev/null 2>&1 ||
		fail "left behind by dpkg -r: $f"
done <listed
