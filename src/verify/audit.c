/*
 * The revocation audit log: JSON lines formatted with cJSON (strings made
 * valid UTF-8 first), appended with write(2) and fsync, never buffered,
 * so each line is on disk before the next step of a revocation.
 */
#include "util/common.h"
#include "util/clock.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <unistd.h>

#include "util/error.h"
#include "util/escape.h"
#include "verify/audit.h"

#define AUDIT_LINE_MAX ((size_t)64 * 1024)

struct audit_log {
	int fd;
	char *path;
};

int audit_open(struct audit_log **out, const char *path)
{
	struct audit_log *a;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a || !(a->path = strdup(path))) {
		free(a);
		return error_nomem();
	}
	a->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (a->fd < 0) {
		error_set_errno(NFG_EIO, errno,
				"cannot open the audit log '%s'", path);
		free(a->path);
		free(a);
		return NFG_EIO;
	}
	*out = a;
	return 0;
}

void audit_close(struct audit_log *a)
{
	if (!a)
		return;
	close(a->fd);
	free(a->path);
	free(a);
}

/* Adds key: s (made valid UTF-8), when s is not NULL. */
static int add_str(cJSON *o, const char *key, const char *s)
{
	struct buf b;
	cJSON *item;

	if (!s)
		return 0;
	buf_init(&b, AUDIT_LINE_MAX);
	if (escape_utf8(&b, s, strlen(s))) {
		buf_release(&b);
		return error_set(NFG_ELIMIT, "audit line too long");
	}
	item = cJSON_CreateString(b.ptr);
	buf_release(&b);
	if (!item || !cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		return error_nomem();
	}
	return 0;
}

static int add_num(cJSON *o, const char *key, double v)
{
	return cJSON_AddNumberToObject(o, key, v) ? 0 : error_nomem();
}

static int add_obj(cJSON *o, const char *key, cJSON **made)
{
	*made = cJSON_AddObjectToObject(o, key);
	return *made ? 0 : error_nomem();
}

static int build(cJSON *o, const struct audit_entry *e)
{
	const struct finding *f = e->f;
	const struct verification *v = &f->verification;
	cJSON *p = NULL, *loc = NULL;
	char when[32];
	int err;

	clock_format_ms(e->time_ms, when);
	err = add_str(o, "time", when);
	if (!err)
		err = add_str(o, "action", e->action);
	if (!err)
		err = add_str(o, "rule_id", f->rule ? f->rule->id : NULL);
	if (!err)
		err = add_str(o, "fingerprint", f->fingerprint);
	if (!err)
		err = add_str(o, "secret_redacted", f->redacted);
	if (!err && v->status == VERIFICATION_LIVE) {
		err = add_obj(o, "project", &p);
		if (!err)
			err = add_str(p, "id", v->project_id);
		if (!err)
			err = add_str(p, "name", v->project_name);
		if (!err)
			err = add_str(p, "slug", v->project_slug);
	}
	if (!err)
		err = add_obj(o, "location", &loc);
	if (!err)
		err = add_str(loc, "path",
			      f->path && *f->path ? f->path : f->location);
	if (!err && f->line)
		err = add_num(loc, "line", (double)f->line);
	if (!err)
		err = add_str(loc, "commit", f->commit);
	if (!err && e->http_status > 0)
		err = add_num(o, "http_status", (double)e->http_status);
	if (!err)
		err = add_str(o, "request_id", e->request_id);
	if (!err)
		err = add_str(o, "reason", e->reason);
	if (!err && e->attempt)
		err = add_num(o, "attempt", e->attempt);
	if (!err)
		err = add_str(o, "request", e->request);
	return err;
}

int audit_format(struct buf *out, const struct audit_entry *e)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;
	int err;

	if (!o)
		return error_nomem();
	err = build(o, e);
	if (!err && !(text = cJSON_PrintUnformatted(o)))
		err = error_nomem();
	if (!err)
		err = buf_puts(out, text);
	if (!err)
		err = buf_putc(out, '\n');
	free(text);
	cJSON_Delete(o);
	return err;
}

int audit_write(struct audit_log *a, const struct audit_entry *e)
{
	struct buf line;
	size_t done = 0;
	ssize_t n;
	int err;

	buf_init(&line, AUDIT_LINE_MAX);
	if ((err = audit_format(&line, e))) {
		buf_release(&line);
		return err;
	}
	/* O_APPEND: each write lands at the end, whoever else appends. */
	while (done < line.len) {
		n = write(a->fd, line.ptr + done, line.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = error_set_errno(NFG_EIO, n < 0 ? errno : EIO,
					      "cannot write the audit log '%s'",
					      a->path);
			break;
		}
		done += (size_t)n;
	}
	if (!err && fsync(a->fd) && errno != EINVAL)
		err = error_set_errno(NFG_EIO, errno,
				      "cannot write the audit log '%s'",
				      a->path);
	buf_release(&line);
	return err;
}
