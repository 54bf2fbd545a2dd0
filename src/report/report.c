/*
 * The table of report formats, from which parsing, help and messages come,
 * and report_write: it picks the writer for the format, then checks that
 * every byte reached the output (fflush + ferror), so a full disk or a
 * closed pipe is an error and not a silently short report.
 */
#include "util/common.h"

#include "report/report.h"
#include "report/writers.h"
#include "util/error.h"

/*
 * One row per format, in the order help lists them; the first is the
 * default. A new format is one more row (and its enum value).
 */
static const struct {
	const char *name;
	int (*write)(FILE *out, const struct report_opts *opts,
		     const struct scan_info *scan, const struct findings *l);
} formats[] = {
	[REPORT_HUMAN] = {"human", report_write_human},
	[REPORT_JSON] = {"json", report_write_json},
	[REPORT_JSONL] = {"jsonl", report_write_jsonl},
	[REPORT_SARIF] = {"sarif", report_write_sarif},
	[REPORT_HTML] = {"html", report_write_html},
};

_Static_assert(ARRAY_SIZE(formats) == REPORT_NFORMATS,
	       "one row in formats[] per enum report_format value");

int report_format_names(struct buf *out, int help)
{
	size_t i, last = ARRAY_SIZE(formats) - 1;

	for (i = 0; i <= last; i++) {
		if (i)
			buf_puts(out, help || i < last ? ", " : " or ");
		buf_puts(out, formats[i].name);
		if (help && !i)
			buf_puts(out, " (default)");
	}
	return buf_failed(out);
}

const char *report_format_name(unsigned f)
{
	return f < ARRAY_SIZE(formats) ? formats[f].name : NULL;
}

int report_format_parse(const char *name, enum report_format *out)
{
	struct buf names;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		if (!strcmp(name, formats[i].name)) {
			*out = (enum report_format)i;
			return 0;
		}
	}
	buf_init(&names, BUF_DEFAULT_MAX);
	err = report_format_names(&names, 0);
	if (!err)
		err = error_set(NFG_EINVAL, "unknown format '%s' (%s)", name,
				names.ptr);
	buf_release(&names);
	return err;
}

int severity_rank(const char *severity)
{
	static const char *const names[] = {"low", "medium", "high",
					    "critical"};
	size_t i;

	for (i = 0; severity && i < ARRAY_SIZE(names); i++)
		if (!strcmp(severity, names[i]))
			return (int)i;
	return 1;
}

void report_rules_digest(const struct ruleset *rs,
			 char out[FINGERPRINT_LEN + 1])
{
	unsigned char d[RULESET_DIGEST_LEN];

	ruleset_digest(rs, d);
	fingerprint_format(out, d);
}

const char *report_repo_status(enum repo_status s)
{
	static const char *const names[] = {"scanned", "failed", "empty"};

	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "failed";
}

int report_write(FILE *out, const struct report_opts *opts,
		 const struct scan_info *scan, const struct findings *l)
{
	int err, errnum;

	if ((unsigned)opts->format >= ARRAY_SIZE(formats))
		return error_set(NFG_EINVAL, "unknown report format %d",
				 (int)opts->format);
	errno = 0;
	err = formats[opts->format].write(out, opts, scan, l);
	errnum = errno;
	/* The caller names the destination: the message is only why. */
	if (fflush(out) != 0)
		return error_set(NFG_EIO, "%s", strerror(errno));
	if (ferror(out))
		return error_set(NFG_EIO, "%s",
				 errnum ? strerror(errnum) : "write error");
	return err;
}
