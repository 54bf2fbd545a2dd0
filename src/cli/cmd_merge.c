/*
 * nfguard merge REPORT...: the JSON (or, accepted, JSONL) reports of a
 * sweep's shards joined into one report, as the unsharded sweep would
 * have written it: repositories in the targets' order, findings
 * de-duplicated, totals summed, incidents rebuilt, then verified.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/idmap.h"
#include "util/sha256.h"
#include "report/read.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <inttypes.h>

struct merge {
	struct scan_run *run;
	char *const *paths;
	struct report_doc *docs;
	size_t ndocs;
	/* every target of the reports, in the order first met (borrowed) */
	const char **targets;
	size_t ntargets;
	/* the repositories' entries, their order's keys and name -> index */
	struct scan_repository *reps;
	size_t nreps, cap;
	struct idmap rep_ids;
};

/* The idmap id of a name (its SHA-256); NULL as "". */
static void name_id(unsigned char id[32], const char *s)
{
	struct sha256 c;

	sha256_init(&c);
	if (s)
		sha256_update(&c, s, strlen(s));
	sha256_final(&c, id);
}

/* A problem of the merge itself: counted, listed, on stderr. */
static void merge_problem(struct merge *m, enum problem_kind kind,
			  const char *line)
{
	cli_problem(&m->run->opts, kind, line);
	if (kind == PROBLEM_ERROR)
		m->run->totals.errors++;
}

/*
 * Reads every report, each checked against the merge's rules; 0 or the
 * first failure (the error set).
 */
static int read_docs(struct merge *m)
{
	struct buf b;
	size_t i;
	int err = 0;

	buf_init(&b, REPORT_READ_MAX_SIZE);
	for (i = 0; !err && i < m->ndocs; i++) {
		buf_reset(&b);
		err = file_read_all(&b, m->paths[i], NULL);
		if (!err)
			err = report_read(&m->docs[i], b.ptr, b.len,
					  m->paths[i], m->run->rules);
	}
	buf_release(&b);
	return err;
}

/*
 * JSONL carries no rules digest (its rule ids were checked as read) and
 * no totals: refused unless --accept-jsonl. 0 or NFG_EINVAL (error set).
 */
static int check_jsonl(struct merge *m)
{
	char line[1024];
	size_t i;

	for (i = 0; i < m->ndocs; i++) {
		if (!m->docs[i].jsonl)
			continue;
		if (!m->run->opts.accept_jsonl)
			return error_set(
				NFG_EINVAL,
				"'%s': a JSONL report holds no scan totals, "
				"repository entries or rules digest: the "
				"merge would be partial (--accept-jsonl "
				"merges it anyway)",
				m->paths[i]);
		snprintf(line, sizeof(line),
			 "'%s': JSONL: the merged totals and "
			 "repository entries are partial, its rules "
			 "checked by id only",
			 m->paths[i]);
		merge_problem(m, PROBLEM_WARNING, line);
	}
	return 0;
}

/* Keys a report has that this merge does not know: left out, an error. */
static void check_unknown(struct merge *m)
{
	char line[1024];
	struct buf b;
	size_t i, k;

	buf_init(&b, BUF_DEFAULT_MAX);
	for (i = 0; i < m->ndocs; i++) {
		const struct report_doc *d = &m->docs[i];

		if (!d->nunknown)
			continue;
		buf_reset(&b);
		for (k = 0; k < d->nunknown; k++)
			buf_printf(&b, "%s%s", k ? ", " : "", d->unknown[k]);
		snprintf(line, sizeof(line),
			 "'%s': fields this merge does not know were "
			 "left out: %s",
			 m->paths[i], buf_failed(&b) ? "..." : b.ptr);
		merge_problem(m, PROBLEM_ERROR, line);
	}
	buf_release(&b);
}

/* 1 if two reports list the same targets in the same order. */
static int same_targets(const struct scan_info *a, const struct scan_info *b)
{
	size_t i;

	if (a->ntargets != b->ntargets)
		return 0;
	for (i = 0; i < a->ntargets; i++)
		if (strcmp(a->targets[i], b->targets[i]))
			return 0;
	return 1;
}

/*
 * Shards (scan.shard): of one sweep (the same count and targets), each
 * index once, none missing. Each departure is an error of the merge.
 */
static int check_shards(struct merge *m)
{
	const struct scan_info *first = NULL;
	size_t i, *seen = NULL, n = 0;
	char line[1024];
	unsigned k;

	for (i = 0; i < m->ndocs; i++) {
		const struct scan_info *s = &m->docs[i].scan;

		if (!s->shard_count)
			continue;
		if (!first) {
			first = s;
			n = s->shard_count;
			if (!(seen = calloc(n, sizeof(*seen))))
				return error_nomem();
		}
		if (s->shard_count != n || !same_targets(first, s)) {
			snprintf(line, sizeof(line),
				 "'%s': shard %u/%u of another sweep "
				 "than shard %u/%u",
				 m->paths[i], s->shard_index, s->shard_count,
				 first->shard_index, first->shard_count);
			merge_problem(m, PROBLEM_ERROR, line);
			continue;
		}
		if (!seen[s->shard_index - 1]) {
			seen[s->shard_index - 1] = i + 1;
			continue;
		}
		snprintf(line, sizeof(line),
			 "shard %u/%zu is given twice "
			 "('%s', '%s')",
			 s->shard_index, n,
			 m->paths[seen[s->shard_index - 1] - 1], m->paths[i]);
		merge_problem(m, PROBLEM_ERROR, line);
	}
	for (k = 0; k < n; k++) {
		if (seen[k])
			continue;
		snprintf(line, sizeof(line),
			 "shard %u/%zu is missing: its repositories are not "
			 "in the merged report",
			 k + 1, n);
		merge_problem(m, PROBLEM_ERROR, line);
	}
	free(seen);
	return 0;
}

/* The union of the reports' targets, in the order first met. */
static int gather_targets(struct merge *m)
{
	struct idmap ids;
	unsigned char id[32];
	size_t i, k, total = 0;
	int existed, err = 0;

	for (i = 0; i < m->ndocs; i++)
		total += m->docs[i].scan.ntargets;
	if (!(m->targets = calloc(total + 1, sizeof(*m->targets))))
		return error_nomem();
	idmap_init(&ids);
	for (i = 0; !err && i < m->ndocs; i++) {
		const struct scan_info *s = &m->docs[i].scan;

		for (k = 0; !err && k < s->ntargets; k++) {
			name_id(id, s->targets[k]);
			err = idmap_put(&ids, id, (uint32_t)m->ntargets,
					&existed, NULL);
			if (!err && !existed)
				m->targets[m->ntargets++] = s->targets[k];
		}
	}
	idmap_release(&ids);
	return err;
}

/*
 * Adds a repository's entry (borrowed from a report) unless one of that
 * name is there: then *at is that one, and *existed is set.
 */
static int add_rep(struct merge *m, const struct scan_repository *e, size_t *at,
		   int *existed)
{
	unsigned char id[32];
	uint32_t *slot;
	int err;

	if (m->nreps >= UINT32_MAX)
		return error_set(NFG_ELIMIT, "too many repositories");
	name_id(id, e->repository);
	if ((err = idmap_put(&m->rep_ids, id, (uint32_t)m->nreps, existed,
			     &slot)))
		return err;
	*at = *slot;
	if (*existed)
		return 0;
	if ((err = ARRAY_GROW(m->reps, m->nreps, m->cap)))
		return err;
	m->reps[m->nreps] = *e;
	m->reps[m->nreps].findings = 0;
	m->nreps++;
	return 0;
}

/* Each report's totals summed into the run's; failures said. */
static void sum_totals(struct merge *m, const struct scan_info *s,
		       const char *path)
{
	struct scan_run *run = m->run;
	struct scan_info *in = &run->info;
	uint64_t failed = 0;
	size_t i;

	run->totals.files += s->files_scanned;
	run->totals.bytes += s->bytes_scanned;
	run->totals.errors += s->errors;
	run->totals.unreadable += s->skipped;
	run->totals.lfs_pointers += s->lfs_pointers;
	run->totals.lfs_missing += s->lfs_missing;
	run->totals.lfs_malformed += s->lfs_malformed;
	run->totals.objects_corrupt += s->objects_corrupt;
	in->commits += s->commits;
	in->blobs_scanned += s->blobs_scanned;
	in->refs += s->refs;
	in->submodules += s->submodules;
	in->git_dir_files += s->git_dir_files;
	in->shallow |= s->shallow;
	in->has_git |= s->has_git;
	in->has_lfs |= s->has_lfs;
	in->has_objects |= s->has_objects;
	/* Decoded only where every shard decoded. */
	in->decoders =
		in->has_decode ? in->decoders & s->decoders : s->decoders;
	in->has_decode |= s->has_decode;
	in->decode_limited += s->decode_limited;
	in->decode_failed += s->decode_failed;
	in->has_skips |= s->has_skips;
	in->excluded += s->excluded;
	in->too_large += s->too_large;
	in->has_suppressed |= s->has_suppressed;
	in->suppressed_ignored += s->suppressed_ignored;
	in->suppressed_baseline += s->suppressed_baseline;
	in->suppressed_paths += s->suppressed_paths;
	in->suppressed_inline += s->suppressed_inline;
	for (i = 0; i < s->nproblems; i++)
		problems_add(s->problems[i].kind, s->problems[i].message,
			     s->problems[i].count);
	problems_add(SCAN_PROBLEM_ERROR, NULL, s->problems_unlisted);
	for (i = 0; i < s->nrepositories; i++)
		failed += s->repositories[i].status == REPO_FAILED;
	/* A failed repository is an error, whatever the count says. */
	if (failed > s->errors)
		run->totals.errors += failed - s->errors;
	if (failed || s->errors)
		cli_error("'%s' recorded %" PRIu64 " failed repositor%s and "
			  "%" PRIu64 " error%s: the merged report is "
			  "incomplete",
			  path, failed, failed == 1 ? "y" : "ies", s->errors,
			  s->errors == 1 ? "" : "s");
}

/* The entries of the JSON reports, and their totals. */
static int gather_reps(struct merge *m)
{
	char line[1024];
	size_t i, k, at;
	int existed, err = 0;

	for (i = 0; !err && i < m->ndocs; i++) {
		const struct scan_info *s = &m->docs[i].scan;

		sum_totals(m, s, m->paths[i]);
		for (k = 0; !err && k < s->nrepositories; k++) {
			err = add_rep(m, &s->repositories[k], &at, &existed);
			if (err || !existed)
				continue;
			snprintf(line, sizeof(line),
				 "'%s': repository '%s' is in another report "
				 "too: its totals are counted twice",
				 m->paths[i], s->repositories[k].repository);
			merge_problem(m, PROBLEM_ERROR, line);
		}
	}
	return err;
}

/*
 * The entries named only by JSONL findings (scanned as far as is known),
 * and a JSON report's finding naming no entry of its report: refused.
 */
static int findings_reps(struct merge *m)
{
	struct scan_repository e;
	size_t i, k, at;
	int existed, err = 0;

	memset(&e, 0, sizeof(e));
	for (i = 0; !err && i < m->ndocs; i++) {
		const struct report_doc *d = &m->docs[i];

		for (k = 0; !err && k < d->findings.n; k++) {
			e.repository = d->findings.v[k].repository;
			err = add_rep(m, &e, &at, &existed);
			if (!err && !existed && !d->jsonl)
				err = error_set(NFG_EINVAL,
						"'%s': a finding names "
						"repository '%s', which the "
						"report does not list",
						m->paths[i], e.repository);
		}
	}
	return err;
}

struct keyed {
	size_t key, seq;
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Entries in the targets' order (those of no target after, as met). */
static int order_reps(struct merge *m)
{
	struct scan_repository *v = NULL;
	struct keyed *k = NULL;
	struct idmap tids;
	unsigned char id[32];
	uint32_t *t;
	size_t i;
	int existed, err = 0;

	idmap_init(&tids);
	for (i = 0; !err && i < m->ntargets; i++) {
		name_id(id, m->targets[i]);
		err = idmap_put(&tids, id, (uint32_t)i, &existed, NULL);
	}
	k = calloc(m->nreps + 1, sizeof(*k));
	v = calloc(m->nreps + 1, sizeof(*v));
	if (!err && (!k || !v))
		err = error_nomem();
	for (i = 0; !err && i < m->nreps; i++) {
		name_id(id, m->reps[i].repository);
		t = idmap_get(&tids, id);
		k[i].key = t ? *t : m->ntargets;
		k[i].seq = i;
	}
	if (!err) {
		qsort(k, m->nreps, sizeof(*k), cmp_keyed);
		idmap_release(&m->rep_ids);
		idmap_init(&m->rep_ids);
	}
	for (i = 0; !err && i < m->nreps; i++) {
		v[i] = m->reps[k[i].seq];
		name_id(id, v[i].repository);
		err = idmap_put(&m->rep_ids, id, (uint32_t)i, &existed, NULL);
	}
	if (!err) {
		free(m->reps);
		m->reps = v;
		v = NULL;
	}
	free(v);
	free(k);
	idmap_release(&tids);
	return err;
}

/* What makes two findings the same: hashed, length-prefixed. */
static void finding_id(unsigned char id[32], const struct finding *f)
{
	const char *strs[] = {f->fingerprint, f->repository, f->commit, f->path,
			      f->location};
	uint64_t nums[] = {f->line, f->column};
	struct sha256 c;
	uint64_t len;
	size_t i;

	sha256_init(&c);
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		len = strs[i] ? strlen(strs[i]) : UINT64_MAX;
		sha256_update(&c, &len, sizeof(len));
		if (strs[i])
			sha256_update(&c, strs[i], strlen(strs[i]));
	}
	sha256_update(&c, nums, sizeof(nums));
	sha256_final(&c, id);
}

/*
 * Every report's findings moved into the run's, in the entries' order
 * (each report's own order within), once each; each token's secret,
 * when one report has it, given to all its findings (for --verify).
 */
static int gather_findings(struct merge *m)
{
	struct findings *out = &m->run->findings;
	struct finding *all = NULL, *f;
	struct keyed *k = NULL;
	struct idmap seen, secrets;
	unsigned char id[32];
	uint32_t *at;
	size_t i, j, n = 0, total = 0;
	int existed, err = 0;

	idmap_init(&seen);
	idmap_init(&secrets);
	for (i = 0; i < m->ndocs; i++)
		total += m->docs[i].findings.n;
	all = calloc(total + 1, sizeof(*all));
	k = calloc(total + 1, sizeof(*k));
	if (!all || !k) {
		err = error_nomem();
		goto done;
	}
	for (i = 0; i < m->ndocs; i++) {
		struct findings *l = &m->docs[i].findings;

		for (j = 0; j < l->n; j++) {
			name_id(id, l->v[j].repository);
			at = idmap_get(&m->rep_ids, id);
			k[n].key = at ? *at : m->nreps;
			k[n].seq = n;
			all[n++] = l->v[j];
		}
		l->n = 0; /* moved */
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	/* Each finding pushed (moved) or released, even after a failure. */
	for (i = 0; i < n; i++) {
		f = &all[k[i].seq];
		finding_id(id, f);
		if (!err)
			err = idmap_put(&seen, id, 0, &existed, NULL);
		if (!err && !existed && k[i].key < m->nreps)
			m->reps[k[i].key].findings++;
		if (!err && !existed && f->secret)
			err = idmap_put(&secrets, f->digest, (uint32_t)out->n,
					NULL, NULL);
		if (!err && !existed)
			err = findings_push(out, f);
		finding_release(f);
	}
	for (i = 0; !err && i < out->n; i++) {
		f = &out->v[i];
		if (f->secret || !(at = idmap_get(&secrets, f->digest)))
			continue;
		if (!(f->secret = malloc(out->v[*at].secret_len + 1))) {
			err = error_nomem();
			break;
		}
		memcpy(f->secret, out->v[*at].secret,
		       out->v[*at].secret_len + 1);
		f->secret_len = out->v[*at].secret_len;
	}
done:
	free(all);
	free(k);
	idmap_release(&seen);
	idmap_release(&secrets);
	return err;
}

/* The whole merge into m->run; 0 or an error (set) that stops it. */
static int merge_docs(struct merge *m)
{
	struct scan_info *in = &m->run->info;
	int err;

	if ((err = read_docs(m)) || (err = check_jsonl(m)))
		return err;
	check_unknown(m);
	if ((err = check_shards(m)) || (err = gather_targets(m)) ||
	    (err = gather_reps(m)) || (err = findings_reps(m)) ||
	    (err = order_reps(m)) || (err = gather_findings(m)))
		return err;
	/* The report is of the sweep the shards were made by. */
	in->command = "git";
	in->targets = m->targets;
	in->ntargets = m->ntargets;
	in->has_repositories = 1;
	in->repositories = m->reps;
	in->nrepositories = m->nreps;
	/* The shards' skipped inputs stay skipped, not errors. */
	m->run->opts.skip_unreadable = 1;
	m->run->parts_suppressed = 1;
	return 0;
}

int cmd_merge(const struct command *self, int argc, char **argv)
{
	struct scan_run run;
	struct merge m;
	size_t i;
	int first, rc, err;

	if ((rc = cli_parse(self, argc, argv, &run.opts, &first)) !=
	    CLI_CONTINUE)
		return rc;
	if (first >= argc) {
		cli_error("merge: name the reports to merge");
		return EXIT_ERROR;
	}
	memset(&m, 0, sizeof(m));
	m.run = &run;
	m.paths = argv + first;
	m.ndocs = (size_t)(argc - first);
	idmap_init(&m.rep_ids);
	if ((rc = scan_begin(&run, self, (const char *const *)m.paths,
			     m.ndocs)))
		return rc;
	if (!(m.docs = calloc(m.ndocs, sizeof(*m.docs))))
		err = error_nomem();
	else
		err = merge_docs(&m);
	rc = scan_finish(&run, err);
	for (i = 0; m.docs && i < m.ndocs; i++)
		report_doc_release(&m.docs[i]);
	free(m.docs);
	free(m.targets);
	free(m.reps);
	idmap_release(&m.rep_ids);
	return rc;
}
