/*
 * libarchive, loaded at run time (util/dynlib.h) when the first archive
 * or gzip/bzip2 stream is decoded, so that runs which meet none (the
 * pre-commit hook, stdin, most folders) never map it and the libraries
 * it pulls in (libxml2, ICU, nettle, ...). Internal to decode/ and to
 * --version: container.c calls libarchive only through this table.
 *
 * Ownership: the table lives as long as the process.
 */
#ifndef NFG_DECODE_ARCHIVE_LOAD_H
#define NFG_DECODE_ARCHIVE_LOAD_H

#include <archive.h>
#include <archive_entry.h>
#include <sys/types.h>

/* libarchive's soname since 3.0. */
#define ARCHIVE_LOAD_SONAME "libarchive.so.13"

/* The libarchive functions nfguard calls. */
struct archive_fns {
	int (*version_number)(void);
	struct archive *(*read_new)(void);
	int (*support_filter_gzip)(struct archive *a);
	int (*support_filter_bzip2)(struct archive *a);
	int (*support_format_zip)(struct archive *a);
	int (*support_format_tar)(struct archive *a);
	int (*support_format_raw)(struct archive *a);
	int (*read_open)(struct archive *a, void *ctx,
			 archive_open_callback *open,
			 archive_read_callback *read,
			 archive_close_callback *close);
	int (*read_next_header)(struct archive *a, struct archive_entry **e);
	la_ssize_t (*read_data)(struct archive *a, void *buf, size_t len);
	int (*read_free)(struct archive *a);
	int (*filter_count)(struct archive *a);
	int (*errno_)(struct archive *a);
	const char *(*error_string)(struct archive *a);
	mode_t (*entry_filetype)(struct archive_entry *e);
	const char *(*entry_hardlink)(struct archive_entry *e);
	const char *(*entry_pathname)(struct archive_entry *e);
	int (*entry_is_encrypted)(struct archive_entry *e);
};

/*
 * Loads ARCHIVE_LOAD_SONAME once per process (thread-safe) and sets *out
 * to its table; later calls give the same table, or the same failure:
 * NFG_ERR "cannot load libarchive (REASON); archives and gzip or bzip2
 * streams need it".
 */
int archive_load(const struct archive_fns **out);

/* archive_load's loading, uncached, from any soname (for tests). */
int archive_load_from(const char *soname, struct archive_fns *out);

#endif
