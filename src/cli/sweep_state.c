/*
 * --state in a sweep: the state file locked, what each repository's scan
 * leaves out, the tokens it reported before, each repository's entry
 * appended to the journal as it ends and the journal folded into the file
 * once the report is written (src/sweep/state.c holds the files).
 */
#include "util/common.h"
#include "util/error.h"
#include "sweep/state.h"
#include "cli/msgs.h"
#include "cli/sweep_state.h"

#include <stdio.h>
#include <unistd.h>

struct sweep_state {
	struct scan_run *run;
	const struct target_list *l;
	struct state st;
	char **keys;		   /* per target: its key in the state */
	struct sweep_since *since; /* per target: its recorded tips (owned) */
	int pending;		   /* a repository waits for the report */
	int lock;		   /* the lock file's descriptor, or -1 */
	struct state_journal journal;
};

void sweep_state_free(struct sweep_state *ss)
{
	size_t i;

	if (!ss)
		return;
	for (i = 0; ss->keys && i < ss->l->n; i++)
		free(ss->keys[i]);
	for (i = 0; ss->since && i < ss->l->n; i++)
		free((void *)ss->since[i].ids);
	free(ss->keys);
	free(ss->since);
	state_release(&ss->st);
	state_journal_close(&ss->journal);
	if (ss->lock >= 0)
		close(ss->lock);
	free(ss);
}

/* Target i's key and what its scan leaves out. 0 or NFG_ENOMEM. */
static int prepare_target(struct sweep_state *ss, size_t i)
{
	const struct state_repo *e;
	unsigned char *ids;
	int err;

	if ((err = state_target_key(&ss->l->v[i], &ss->keys[i])))
		return err;
	e = state_find(&ss->st, ss->keys[i]);
	/* --unreachable reads every object each time: nothing left out. */
	if (!e || !e->ntips || ss->run->opts.unreachable)
		return 0;
	if (!(ids = malloc(e->ntips * STATE_TIP_LEN)))
		return error_nomem();
	memcpy(ids, e->tips, e->ntips * STATE_TIP_LEN);
	ss->since[i].ids = ids;
	ss->since[i].n = e->ntips;
	return 0;
}

/* A warning about the state file's journal: "--state: 'FILE.journal' what". */
static void journal_warning(struct scan_run *run, const char *what)
{
	char line[8192];

	snprintf(line, sizeof(line), "--state: '%s.journal' %s",
		 run->opts.state, what);
	cli_problem(&run->opts, PROBLEM_WARNING, line);
}

int sweep_state_open(struct sweep_state **out, struct scan_run *run,
		     const struct target_list *l,
		     const struct sweep_since **since)
{
	unsigned char rules[STATE_DIGEST_LEN];
	struct sweep_state *ss = calloc(1, sizeof(*ss));
	struct state_replay replay;
	char why[1024], line[8192];
	size_t i, rescanned;
	int err = 0, missing, changed;

	*out = NULL;
	*since = NULL;
	if (!ss)
		return error_nomem();
	ss->run = run;
	ss->l = l;
	ss->lock = -1;
	ss->journal.fd = -1;
	state_init(&ss->st);
	if ((err = state_lock(run->opts.state, &ss->lock)) ||
	    (err = state_read(&ss->st, run->opts.state, &missing)) ||
	    (err = state_replay(&ss->st, run->opts.state, &replay))) {
		snprintf(why, sizeof(why), "%s", error_last());
		err = error_set(err, "--state: %s", why);
		goto done;
	}
	if (replay.stale)
		journal_warning(run, "follows an older state file (a run "
				     "killed as it folded it in): left out");
	if (replay.torn)
		journal_warning(run, "ends in a record cut short (a run killed "
				     "as it wrote it): that repository is "
				     "scanned again");
	state_rules_digest(run->rules, !run->opts.no_inline_allow, rules);
	state_begin(&ss->st, rules, &changed, &rescanned);
	if (changed) {
		snprintf(line, sizeof(line),
			 "--state: '%s' was written with other rules (or "
			 "nfguard:allow setting): every repository is scanned "
			 "whole and all it holds reported",
			 run->opts.state);
		cli_problem(&run->opts, PROBLEM_WARNING, line);
	}
	if (rescanned) {
		snprintf(line, sizeof(line),
			 "--state: '%s': %zu repositor%s scanned by a run that "
			 "did not write its report: scanned again since the "
			 "last report",
			 run->opts.state, rescanned,
			 rescanned == 1 ? "y" : "ies");
		cli_problem(&run->opts, PROBLEM_WARNING, line);
	}
	if (!(ss->keys = calloc(l->n ? l->n : 1, sizeof(*ss->keys))) ||
	    !(ss->since = calloc(l->n ? l->n : 1, sizeof(*ss->since)))) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; !err && i < l->n; i++)
		err = prepare_target(ss, i);
	/* What was read and replayed, settled, in the file; a new journal. */
	if (!err && state_save(&ss->st, run->opts.state, &ss->journal)) {
		snprintf(why, sizeof(why), "%s", error_last());
		err = error_set(NFG_EIO, "--state: %s", why);
	}
	if (err)
		goto done;
	run->info.has_state = 1;
	run->reported = sweep_state_reported;
	run->reported_ctx = ss;
	*since = ss->since;
	*out = ss;
done:
	if (err)
		sweep_state_free(ss);
	return err;
}

static size_t index_of(const struct sweep_state *ss, const struct sweep_repo *r)
{
	return (size_t)(r->target - ss->l->v);
}

void sweep_state_filter(struct sweep_state *ss, struct sweep_repo *r)
{
	size_t i = index_of(ss, r), k, kept = 0;
	const struct state_repo *e = state_find(&ss->st, ss->keys[i]);

	r->rep.incremental = !ss->since[i].n	? "full"
			     : r->since_missing ? "fallback"
						: "incremental";
	for (k = 0; k < r->found.n; k++) {
		if (e && state_reported(e, r->found.v[k].digest)) {
			finding_release(&r->found.v[k]);
			ss->run->info.suppressed_state++;
		} else {
			r->found.v[kept++] = r->found.v[k];
		}
	}
	r->found.n = kept;
}

int sweep_state_record(struct sweep_state *ss, struct sweep_repo *r,
		       int written)
{
	size_t i = index_of(ss, r), k;
	unsigned char *found = NULL;
	struct state_repo *e;
	char line[8192];
	int err;

	/* An incomplete scan moves nothing: the next run does it again. */
	if (r->rep.status == REPO_FAILED)
		return 0;
	if (r->found.n &&
	    !(found = malloc(r->found.n * sizeof(r->found.v[0].digest))))
		err = error_nomem();
	else
		err = 0;
	for (k = 0; found && k < r->found.n; k++)
		memcpy(found + k * STATE_DIGEST_LEN, r->found.v[k].digest,
		       STATE_DIGEST_LEN);
	if (!err && !(err = state_add(&ss->st, ss->keys[i], &e)) &&
	    !(err = state_record(e, r->tips, r->ntips, found, r->found.n,
				 written)))
		err = state_journal_add(&ss->journal, e);
	free(found);
	if (!err) {
		ss->pending |= !written;
		return 0;
	}
	snprintf(line, sizeof(line), "'%s': --state: %s", r->target->shown,
		 error_last());
	cli_problem(&ss->run->opts, PROBLEM_ERROR, line);
	return EXIT_ERROR;
}

int sweep_state_reported(void *ctx)
{
	struct sweep_state *ss = ctx;

	state_journal_close(&ss->journal);
	if ((ss->pending && state_confirm(&ss->st)) ||
	    state_save(&ss->st, ss->run->opts.state, NULL)) {
		cli_error("--state: %s", error_last());
		return EXIT_ERROR;
	}
	ss->pending = 0;
	return 0;
}
