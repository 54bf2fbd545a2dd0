/*
 * --verify for every scan command: the API base URL from --api-url,
 * NOTIFLOWS_BASE_URL or the default, checked before the scan starts;
 * verification of the findings after it, with one line on stderr when
 * tokens could not be verified; and --fail-on.
 */
#include "util/common.h"
#include "util/buf.h"
#include "util/error.h"
#include "finding/product.h"
#include "verify/verify.h"
#include "cli/msgs.h"
#include "cli/run.h"

#include <fcntl.h>
#include <unistd.h>

int cli_verify_prepare(struct scan_run *run)
{
	struct cli_opts *o = &run->opts;
	const char *env = getenv("NOTIFLOWS_BASE_URL");
	const char *what = "--api-url";
	int fd;

	if (!o->api_url && env && *env) {
		o->api_url = env;
		what = "NOTIFLOWS_BASE_URL";
	} else if (!o->api_url) {
		o->api_url = PRODUCT_API_URL;
	}
	if (http_check_url(o->api_url, what)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	if (o->cacert) {
		fd = open(o->cacert, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			cli_error("cannot open '%s': %s", o->cacert,
				  strerror(errno));
			return EXIT_ERROR;
		}
		close(fd);
	}
	if (verify_check_rules(run->rules)) {
		cli_error("%s", error_last());
		return EXIT_ERROR;
	}
	return 0;
}

void cli_verify_opts(const struct scan_run *run, struct verify_opts *vo)
{
	const struct cli_opts *o = &run->opts;

	http_opts_default(&vo->http);
	vo->base_url = o->api_url;
	vo->http.cacert = o->cacert;
	vo->http.progress = cli_progress_verify;
	vo->http.progress_ctx = (void *)o;
	if (o->verify_jobs)
		vo->http.concurrency = o->verify_jobs;
	if (o->verify_streams)
		vo->http.streams = o->verify_streams;
	if (o->verify_timeout) {
		vo->http.timeout_ms = (long)o->verify_timeout * 1000;
		if (vo->http.connect_timeout_ms > vo->http.timeout_ms)
			vo->http.connect_timeout_ms = vo->http.timeout_ms;
	}
}

/* Distinct reasons named on the unverified line; the rest are summed. */
#define UNVERIFIED_REASONS_MAX 8

/*
 * "warning: 2 tokens could not be verified (server error 503 after 4
 * attempts: 1; connect: cannot connect after 4 attempts: 1)": always on
 * stderr when a token stayed unknown, whatever the format and -o.
 */
static void warn_unverified(const struct verify_summary *s)
{
	struct buf b;
	size_t i, rest = 0;
	int err;

	buf_init(&b, BUF_DEFAULT_MAX);
	err = buf_printf(&b, "%zu %s could not be verified (", s->unknown,
			 s->unknown == 1 ? "token" : "tokens");
	for (i = 0; i < s->nreasons && !err; i++) {
		if (i >= UNVERIFIED_REASONS_MAX) {
			rest += s->reasons[i].tokens;
			continue;
		}
		err = buf_printf(&b, "%s%s: %zu", i ? "; " : "",
				 s->reasons[i].reason, s->reasons[i].tokens);
	}
	if (!err && rest)
		err = buf_printf(&b, "; other reasons: %zu", rest);
	if (!err)
		err = buf_putc(&b, ')');
	if (err)
		cli_error("warning: %zu %s could not be verified", s->unknown,
			  s->unknown == 1 ? "token" : "tokens");
	else
		cli_error("warning: %s", b.ptr);
	buf_release(&b);
}

int cli_verify_run(struct scan_run *run)
{
	struct verify_counts counts;
	struct verify_summary sum;
	struct verify_opts vo;
	int err;

	cli_verify_opts(run, &vo);
	err = verify_findings(&run->findings, &vo, &counts);
	cli_progress_done();
	if (err || verify_summary_build(&sum, &run->findings)) {
		cli_error("cannot verify the tokens: %s", error_last());
		return EXIT_ERROR;
	}
	run->info.has_verification = 1;
	run->info.verify_tokens = sum.tokens;
	run->info.verify_live = sum.live;
	run->info.verify_invalid = sum.invalid;
	run->info.verify_unknown = sum.unknown;
	if (sum.unknown)
		warn_unverified(&sum);
	verify_summary_release(&sum);
	return 0;
}

size_t cli_failing_findings(const struct scan_run *run)
{
	size_t i, n = 0;

	if (run->opts.fail_on != FAIL_ON_LIVE)
		return run->findings.n;
	/*
	 * Only a token the API rejected passes, or one revoked (and
	 * re-checked) in this run: a token that could not be verified may be
	 * live.
	 */
	for (i = 0; i < run->findings.n; i++) {
		const struct finding *f = &run->findings.v[i];

		if (f->verification.status != VERIFICATION_INVALID &&
		    f->revocation.status != REVOCATION_REVOKED)
			n++;
	}
	return n;
}
