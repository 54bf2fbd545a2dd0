/*
 * report_write: picks the writer for the format, then checks that every
 * byte reached the output (fflush + ferror), so a full disk or a closed
 * pipe is an error and not a silently short report.
 */
#include "util/common.h"

#include "report/report.h"
#include "report/writers.h"
#include "util/error.h"

static const struct {
	const char *name;
	enum report_format format;
} formats[] = {
	{"human", REPORT_HUMAN},
	{"json", REPORT_JSON},
	{"jsonl", REPORT_JSONL},
	{"sarif", REPORT_SARIF},
};

int report_format_parse(const char *name, enum report_format *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		if (!strcmp(name, formats[i].name)) {
			*out = formats[i].format;
			return 0;
		}
	}
	return error_set(
		NFG_EINVAL,
		"unknown format '%s' (use human, json, jsonl or sarif)", name);
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

int report_write(FILE *out, const struct report_opts *opts,
		 const struct scan_info *scan, const struct findings *l)
{
	int err, errnum;

	errno = 0;
	switch (opts->format) {
	case REPORT_HUMAN:
		err = report_write_human(out, opts, scan, l);
		break;
	case REPORT_JSON:
		err = report_write_json(out, opts, scan, l);
		break;
	case REPORT_JSONL:
		err = report_write_jsonl(out, opts, scan, l);
		break;
	case REPORT_SARIF:
		err = report_write_sarif(out, opts, scan, l);
		break;
	default:
		return error_set(NFG_EINVAL, "unknown report format %d",
				 (int)opts->format);
	}
	errnum = errno;
	if (fflush(out) != 0)
		return error_set_errno(NFG_EIO, errno,
				       "cannot write the report");
	if (ferror(out)) {
		if (errnum)
			return error_set_errno(NFG_EIO, errnum,
					       "cannot write the report");
		return error_set(NFG_EIO, "cannot write the report");
	}
	return err;
}
