#!/bin/sh
# Installs the SARIF validators used by the tests (pinned versions, from the
# npm registry) into DEST: the SARIF 2.1.0 schema and Microsoft's SARIF
# Multitool (@microsoft/sarif-multitool-linux), ajv-cli and ajv-formats.
# Idempotent: does nothing when DEST already holds working pinned copies.
#
# Usage: install-validators.sh DEST
# Exit: 0 installed (or already there); 3 npm missing or the registry
# unreachable (callers may skip); 1 any other failure; 2 bad usage.
# NFG_NPM_TIMEOUT_MS bounds each registry request (default 60000).
set -eu

# Pins: the versions tests/tools/validate-sarif.sh was tested with. ajv is
# pinned too, although ajv-cli pulls it in, because it does the validating.
MULTITOOL_VERSION=5.7.0
AJV_CLI_VERSION=5.0.0
AJV_FORMATS_VERSION=3.0.1
AJV_VERSION=8.20.0

me=install-validators
die() {
	rc=$1
	shift
	printf '%s: %s\n' "$me" "$*" >&2
	exit "$rc"
}

if [ $# -ne 1 ] || [ -z "$1" ]; then
	die 2 "usage: install-validators.sh DEST"
fi
case $1 in
/*) dest=$1 ;;
*) dest=$(pwd)/$1 ;;
esac

multitool_dir=node_modules/@microsoft/sarif-multitool-linux

# version_of DIR PKG: the version of PKG installed under DIR, or nothing.
version_of() {
	_pj="$1/node_modules/$2/package.json"
	[ -f "$_pj" ] || return 0
	node -e 'process.stdout.write(String(require(process.argv[1]).version))' \
		"$_pj" 2>/dev/null || true
}

# installed_ok DIR: DIR holds the pinned versions and the Multitool runs.
installed_ok() {
	[ "$(version_of "$1" @microsoft/sarif-multitool-linux)" = \
		"$MULTITOOL_VERSION" ] || return 1
	[ "$(version_of "$1" ajv-cli)" = "$AJV_CLI_VERSION" ] || return 1
	[ "$(version_of "$1" ajv-formats)" = "$AJV_FORMATS_VERSION" ] ||
		return 1
	[ "$(version_of "$1" ajv)" = "$AJV_VERSION" ] || return 1
	[ -f "$1/$multitool_dir/sarif-2.1.0.json" ] || return 1
	[ -x "$1/$multitool_dir/Sarif.Multitool" ] || return 1
	[ -f "$1/node_modules/ajv-cli/dist/index.js" ] || return 1
	# A truncated or unrunnable binary (interrupted install, missing
	# libraries) fails here rather than in the middle of a test.
	DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
		"$1/$multitool_dir/Sarif.Multitool" --version >/dev/null 2>&1
}

command -v node >/dev/null 2>&1 || die 3 "node not found (install nodejs)"
if installed_ok "$dest"; then
	exit 0
fi
command -v npm >/dev/null 2>&1 || die 3 "npm not found (install npm)"

parent=$(dirname "$dest")
mkdir -p "$parent" || die 1 "cannot create '$parent'"
# One installer at a time per DEST; the winner's copy serves the others.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$dest.lock" || die 1 "cannot create '$dest.lock'"
	flock 9 || die 1 "cannot lock '$dest.lock'"
	if installed_ok "$dest"; then
		exit 0
	fi
fi

# With --prefix, npm reads its global config from PREFIX/etc/npmrc instead of
# the machine's: keep the machine's (proxy, CA file, registry mirror).
globalconfig=$(npm config get globalconfig 2>/dev/null) || globalconfig=
timeout_ms=${NFG_NPM_TIMEOUT_MS:-60000}
set -- --no-audit --no-fund --no-update-notifier --fetch-timeout="$timeout_ms"
if [ -n "$globalconfig" ] && [ -f "$globalconfig" ]; then
	set -- "$@" --globalconfig="$globalconfig"
fi

# Fail fast (instead of after minutes of retries) when the registry cannot
# be reached, with a status that lets a test skip.
npm ping --fetch-retries=0 "$@" >/dev/null 2>&1 ||
	die 3 "cannot reach the npm registry ($(npm config get registry \
		2>/dev/null || echo '?')); check network, proxy and CA settings"

# Install into a fresh folder next to DEST and rename it into place once
# verified, so an interrupted install never leaves a half-made DEST.
tmp=$(mktemp -d "$dest.new.XXXXXX") || die 1 "cannot create a folder in '$parent'"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

printf '%s: installing SARIF validators into %s\n' "$me" "$dest" >&2
# --ignore-scripts: the Multitool's only install script is "chmod u+x"
# (done below); no third-party script runs.
if ! npm install --prefix "$tmp" "$@" --ignore-scripts --save-exact \
	--loglevel=error \
	"@microsoft/sarif-multitool-linux@$MULTITOOL_VERSION" \
	"ajv-cli@$AJV_CLI_VERSION" "ajv-formats@$AJV_FORMATS_VERSION" \
	"ajv@$AJV_VERSION" >&2; then
	die 1 "npm install failed (see the messages above)"
fi
chmod 755 "$tmp/$multitool_dir/Sarif.Multitool" ||
	die 1 "cannot make Sarif.Multitool executable"
if ! installed_ok "$tmp"; then
	DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
		"$tmp/$multitool_dir/Sarif.Multitool" --version >&2 || true
	die 1 "the installed validators do not work (pinned versions missing" \
		"or Sarif.Multitool cannot run)"
fi

rm -rf "$dest" || die 1 "cannot remove the old '$dest'"
mv "$tmp" "$dest" || die 1 "cannot rename '$tmp' to '$dest'"
printf '%s: installed @microsoft/sarif-multitool-linux@%s ajv-cli@%s ajv-formats@%s ajv@%s\n' \
	"$me" "$MULTITOOL_VERSION" "$AJV_CLI_VERSION" "$AJV_FORMATS_VERSION" \
	"$AJV_VERSION" >&2
