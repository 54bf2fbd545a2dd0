/*
 * The stream source: everything readable from a file descriptor (stdin),
 * scanned in bounded chunks, reported under a label.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"
#include "source/source.h"

int source_fd_scan(const struct source_ctx *ctx, int fd, const char *label)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct collect_env env = {ctx->rs,     ctx->decode,  &lock,
				  ctx->totals, ctx->problem, ctx->pctx};
	struct collector *sc;
	uint64_t bytes = 0;
	int err;

	if ((err = collector_new(&sc, &env)))
		return err;
	err = source_scan_fd(sc, label, fd, ctx->out, &bytes);
	collector_free(sc);
	ctx->totals->bytes += bytes;
	/* A stream that could not be read whole is not one of those scanned. */
	if (err == NFG_EIO) {
		char msg[1024];

		error_format(msg, sizeof(msg), "cannot read '%s': %s", label,
			     error_last());
		ctx->totals->unreadable++;
		ctx->problem(ctx->pctx, PROBLEM_UNREADABLE, msg);
		err = 0;
	} else {
		ctx->totals->files++;
	}
	findings_sort(ctx->out);
	return err;
}
