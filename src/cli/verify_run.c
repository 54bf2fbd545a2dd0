/*
 * --verify for every scan command: the API base URL from --api-url,
 * NOTIFLOWS_BASE_URL or the default, checked before the scan starts;
 * verification of the findings after it; and --fail-on.
 */
#include "util/common.h"
#include "util/error.h"
#include "verify/verify.h"
#include "cli/cli.h"

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
		o->api_url = VERIFY_DEFAULT_BASE_URL;
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
	if (o->verify_jobs)
		vo->http.concurrency = o->verify_jobs;
	if (o->verify_timeout) {
		vo->http.timeout_ms = (long)o->verify_timeout * 1000;
		if (vo->http.connect_timeout_ms > vo->http.timeout_ms)
			vo->http.connect_timeout_ms = vo->http.timeout_ms;
	}
}

int cli_verify_run(struct scan_run *run)
{
	struct verify_counts counts;
	struct verify_opts vo;

	cli_verify_opts(run, &vo);
	if (verify_findings(&run->findings, &vo, &counts)) {
		cli_error("cannot verify the tokens: %s", error_last());
		return EXIT_ERROR;
	}
	return 0;
}

size_t cli_failing_findings(const struct scan_run *run)
{
	size_t i, n = 0;

	if (run->opts.fail_on != FAIL_ON_LIVE)
		return run->findings.n;
	/* A token revoked (and re-checked) in this run is no longer live. */
	for (i = 0; i < run->findings.n; i++)
		if (run->findings.v[i].verification.status ==
			    VERIFICATION_LIVE &&
		    run->findings.v[i].revocation.status != REVOCATION_REVOKED)
			n++;
	return n;
}
