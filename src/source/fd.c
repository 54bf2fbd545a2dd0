/*
 * The stream source: everything readable from a file descriptor (stdin),
 * scanned in bounded chunks, reported under a label.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/source.h"

int source_fd_scan(const struct ruleset *rs, int fd, const char *label,
		   problem_fn problem, void *pctx, struct findings *out,
		   struct scan_totals *totals)
{
	struct collect_ctx cc = {rs, label, out};
	struct scanner *sc;
	uint64_t bytes = 0;
	int err;

	if ((err = scanner_new(&sc, rs)))
		return err;
	err = scanner_scan_stream(sc, label, read_fd, &fd, collect_hit, &cc,
				  &bytes);
	scanner_free(sc);
	totals->bytes += bytes;
	/* A stream that could not be read whole is not one of those scanned. */
	if (err == NFG_EIO) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "cannot read '%s': %s", label,
			 error_last());
		totals->unreadable++;
		problem(pctx, PROBLEM_UNREADABLE, msg);
		err = 0;
	} else {
		totals->files++;
	}
	findings_sort(out);
	return err;
}
