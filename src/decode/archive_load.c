/*
 * Loading libarchive at run time (util/dynlib.h): the functions of
 * struct archive_fns, once per process.
 */
#include "util/common.h"

#include "util/dynlib.h"
#include "decode/archive_load.h"

#define FN(field, name) DYNLIB_SYM(struct archive_fns, field, name)
static const struct dynlib_sym fns[] = {
	FN(version_number, "archive_version_number"),
	FN(read_new, "archive_read_new"),
	FN(support_filter_gzip, "archive_read_support_filter_gzip"),
	FN(support_filter_bzip2, "archive_read_support_filter_bzip2"),
	FN(support_format_zip, "archive_read_support_format_zip"),
	FN(support_format_tar, "archive_read_support_format_tar"),
	FN(support_format_raw, "archive_read_support_format_raw"),
	FN(read_open, "archive_read_open"),
	FN(read_next_header, "archive_read_next_header"),
	FN(read_data, "archive_read_data"),
	FN(read_free, "archive_read_free"),
	FN(filter_count, "archive_filter_count"),
	FN(errno_, "archive_errno"),
	FN(error_string, "archive_error_string"),
	FN(entry_filetype, "archive_entry_filetype"),
	FN(entry_hardlink, "archive_entry_hardlink"),
	FN(entry_pathname, "archive_entry_pathname"),
	FN(entry_is_encrypted, "archive_entry_is_encrypted"),
};

#define LIBARCHIVE(tablep)                                                     \
	DYNLIB_INIT(ARCHIVE_LOAD_SONAME, "libarchive",                         \
		    "archives and gzip or bzip2 streams need it", fns, tablep)
static struct archive_fns table;
static struct dynlib lib = LIBARCHIVE(&table);

int archive_load_from(const char *soname, struct archive_fns *out)
{
	struct dynlib d = LIBARCHIVE(out);

	return dynlib_load_from(&d, soname);
}

int archive_load(const struct archive_fns **out)
{
	int err = dynlib_get(&lib);

	if (!err)
		*out = &table;
	return err;
}
