/*
 * Helpers every source shares: the hit-to-finding callback and the file
 * descriptor reader.
 */
#include "util/common.h"
#include "util/error.h"
#include "source/collect.h"

#include <unistd.h>

int collect_hit(void *ctx, const struct hit *h)
{
	struct collect_ctx *c = ctx;
	struct finding f;
	int err;

	if ((err = finding_init_hit(&f, ruleset_rule(c->rs, h->rule), h,
				    c->path)))
		return err;
	if ((err = findings_push(c->out, &f)))
		finding_release(&f);
	return err;
}

long read_fd(void *ctx, char *dst, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do
		n = read(fd, dst, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_set_errno(NFG_EIO, errno, "read failed");
	return (long)n;
}
