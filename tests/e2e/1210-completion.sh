#!/bin/sh
# nfguard completion bash|zsh|fish: bash's own completion machinery, given
# the script, completes subcommands, each command's options, option values
# and file names exactly as the help lists them; the zsh and fish scripts
# load, and fish completes a subcommand.
set -eu

command -v bash >/dev/null || skip "bash is not installed"
nfg completion bash
expect_rc 0
expect_no_stderr
cp "$WORK/out" nfguard.bash

# comp WORD...: COMPREPLY for the command line WORD... (the last is the word
# being completed), one per line, through the function the script set.
comp() {
	bash -c '. ./nfguard.bash
		spec=$(complete -p nfguard) || exit 3
		[ "$spec" = "complete -F _nfguard nfguard" ] || exit 4
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*" COMP_POINT=${#COMP_LINE}
		_nfguard nfguard "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}
# expect_comp WANT WORD...: comp WORD... prints WANT (words, one a line).
expect_comp() {
	_want=$1
	shift
	assert_eq "$(comp "$@" | tr '\n' ' ' | sed 's/ $//')" "$_want" \
		"completion of '$*'"
}

# Subcommands: those of nfguard help, in its order, then --version --help.
cmds=$("$NFGUARD" help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' |
	tr '\n' ' ')
expect_comp "${cmds}--version --help" nfguard ""
expect_comp "dir" nfguard d
expect_comp "staged stdin" nfguard st
expect_comp "completion" nfguard comp

# Options of git: exactly those nfguard help git lists, short and long.
opts=$("$NFGUARD" help git | sed -n '/^Options:/,$p' | sed -n \
	-e 's/^  -\(.\), --\([a-z-]*\).*/-\1 --\2/p' \
	-e 's/^      --\([a-z-]*\).*/--\1/p' | tr '\n' ' ' | sed 's/ $//')
[ "$(echo "$opts" | wc -w)" -gt 40 ] || fail "help git lists: $opts"
expect_comp "$opts" nfguard git -
expect_comp "$(echo "$opts" | tr ' ' '\n' | grep -- '^--' | tr '\n' ' ' |
	sed 's/ $//')" nfguard git --
expect_comp "--ref --repos-from --repo-jobs --report-unused-ignores \
--revoke" nfguard git --re
expect_comp "--pre-push --pre-receive" nfguard install-hooks --pre
expect_comp "-h --help" nfguard help -

# Values of --format, --fail-on and --decode, however the value is given.
expect_comp "human json jsonl sarif html" nfguard git --format ""
expect_comp "human json jsonl sarif html" nfguard dir -f ""
expect_comp "json jsonl" nfguard stdin --format j
expect_comp "json jsonl" nfguard dir --format = j
expect_comp "human json jsonl sarif html" nfguard dir --format =
expect_comp "live any" nfguard verify --fail-on ""
expect_comp "base64 bzip2" nfguard staged --decode b
expect_comp "" nfguard git --jobs ""
# Operands: command names, shells, a literal word, files.
expect_comp "dir" nfguard help di
expect_comp "bash zsh fish" nfguard completion ""
mkdir -p proj/sub cachedir
: >proj.txt
: >proj/a.json
expect_comp "check" nfguard rules ch
assert_eq "$(comp nfguard dir pro | sort | tr '\n' ' ')" "proj proj.txt " \
	"files for dir"
assert_eq "$(comp nfguard git -o proj/ | sort | tr '\n' ' ')" \
	"proj/a.json proj/sub " "files for -o"
assert_eq "$(comp nfguard git --cache proj/ | tr '\n' ' ')" "proj/sub " \
	"folders for --cache"
expect_comp "" nfguard verify pro

# zsh and fish: the scripts load; fish completes a subcommand and values.
command -v zsh >/dev/null || skip "zsh is not installed (bash passed)"
command -v fish >/dev/null || skip "fish is not installed (bash passed)"
nfg completion zsh
expect_rc 0
cp "$WORK/out" _nfguard
run_cmd zsh -c 'autoload -U compinit && compinit -u -d "$HOME/.zcd" &&
	. ./_nfguard && print -r -- "${_comps[nfguard]}"'
assert_eq "$(cat "$WORK/out")" "_nfguard" "zsh: the function compdef set"
assert_eq "$(cat "$WORK/err")" "" "zsh: stderr"
assert_eq "$(head -n 1 _nfguard)" "#compdef nfguard" "zsh: first line"

nfg completion fish
expect_rc 0
cp "$WORK/out" nfguard.fish
run_cmd fish -c 'source nfguard.fish; and complete -C "nfguard di"'
assert_eq "$(cut -f 1 "$WORK/out")" "dir" "fish: nfguard di"
assert_eq "$(cat "$WORK/err")" "" "fish: stderr"
run_cmd fish -c 'source nfguard.fish; and complete -C "nfguard git --format "'
assert_eq "$(cut -f 1 "$WORK/out" | tr '\n' ' ')" "html human json jsonl sarif " \
	"fish: values of --format"
run_cmd fish -c 'source nfguard.fish; and complete -C "nfguard help d"'
assert_eq "$(cut -f 1 "$WORK/out" | tr '\n' ' ')" "dir " "fish: help d"

# Usage errors.
nfg completion
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: completion needs one shell: bash, \
zsh or fish (try 'nfguard help completion')" "no shell"
nfg completion tcsh
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: completion: 'tcsh' is not bash, zsh or fish" "unknown shell"
