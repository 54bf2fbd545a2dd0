#!/bin/sh
# Placeholders and near-misses are never reported (issue 2's list, one
# repeated character, low entropy, stopwords as whole words, a token
# character before the prefix, bodies of 15 and 257 characters), while
# the edge cases that are real tokens (bodies of exactly 16 and 256, a
# stopword inside a longer word) are.
set -eu

p=nf_at_ # placeholders longer than 15 characters are split in the source
# rep CHAR N: CHAR repeated N times.
rep() {
	head -c "$2" /dev/zero | tr '\0' "$1"
}

mkdir ph
n=0
# ph VALUE: one file holding VALUE the way configuration files do.
ph() {
	n=$((n + 1))
	printf '# placeholder %s\nNOTIFLOWS_TOKEN=%s\ntoken: "%s"\n' \
		"$n" "$1" "$1" >"ph/$n.env"
}
ph 'nf_at_xxx'
ph 'nf_at_YOUR_TOKEN'
ph "${p}your_account_token_here"
ph 'nf_at_...'
ph 'nf_at_…'
ph 'nf_at_<token>'
# shellcheck disable=SC2016 # the text itself, not expanded
ph 'nf_at_${NOTIFLOWS_TOKEN}'
ph "$p$(rep a 32)"
ph "$p$(rep x 32)"
ph "$p$(rep X 24)"
ph "$p$(rep 7 40)"
ph "${p}xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
ph "$p$(rep a 8)$(rep b 8)$(rep a 8)"  # entropy 0.9 bits
ph "${p}abababababababababababab"      # entropy 1 bit
ph "conf_at_$(rand_body 32)"           # preceded by a token character
ph "MYnf_at_$(rand_body 32)"
ph "$p$(rand_body 15)"                 # too short
ph "$p$(rand_body 257)"                # too long: not cut to 256
ph "$p$(rand_body 300)-$(rand_body 20)"
ph "${p}your_notiflows_token_here_1234"
ph "${p}example_$(rand_body 20)"       # stopwords, whole words, any case
ph "${p}PLACEHOLDER-$(rand_body 20)"
ph "$(rand_body 3)${p}$(rand_body 20)"
ph "${p}$(rand_body 20)_redacted"
ph "${p}changeme_$(rand_body 20)"
ph "${p}dummy-$(rand_body 10)-$(rand_body 10)"
ph "${p}Sample_$(rand_body 20)"
ph "${p}$(rand_body 10)_Token_$(rand_body 10)"

nfg dir -f json ph
expect_rc 0
expect_no_stderr
expect_count 0
assert_eq "$(jq_out '.scan.files_scanned')" "$n" "scan.files_scanned"
assert_eq "$(jq_out '.scan.bytes_scanned')" "$(cat ph/* | wc -c)" \
	"scan.bytes_scanned"
cat ph/* >all.txt
nfg_in all.txt stdin -f json
expect_rc 0
expect_count 0

# The same files with one real token added: the scan did look at them.
t=$(mktoken)
printf 'NOTIFLOWS_TOKEN=nf_at_xxx\nNOTIFLOWS_TOKEN=%s\n' "$t" >ph/real.env
nfg dir -f json ph
expect_rc 1
expect_count 1
expect_finding real.env 2 17 "$t"

# Edge cases that are tokens.
mkdir real
t16=$(mktoken 16) t256=$(mktoken 256)
t_word="$p$(rand_body 10)yourself$(rand_body 10)"
t_dash="$p$(rand_body 10)-$(rand_body 10)_$(rand_body 10)"
plant_token "$t_word" "$t_dash"
printf 'A=%s\n' "$t16" >real/16.env
printf 'A=%s\n' "$t256" >real/256.env
printf 'A=%s\n' "$t_word" >real/word.env
printf 'A="%s"\n' "$t_dash" >real/dash.env
nfg dir -f json real
expect_rc 1
expect_no_stderr
expect_count 4
expect_finding 16.env 1 3 "$t16"
expect_finding 256.env 1 3 "$t256"
expect_finding word.env 1 3 "$t_word"
expect_finding dash.env 1 4 "$t_dash"
