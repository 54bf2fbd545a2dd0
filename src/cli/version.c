/*
 * nfguard --version [--format human|json]: the version, the commit the
 * binary was built from (NFG_COMMIT, set when CMake configured the
 * build) and the versions of the libraries loaded at run time, so that a
 * bug report or an audit names exactly what ran.
 */
#include "util/common.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "decode/archive_load.h"
#include "net/http.h"

#include <getopt.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <git2.h>
#include <pcre2.h>
#include <libdeflate.h>
#include <lzma.h>
#include <zlib.h>

#ifndef NFG_COMMIT
#define NFG_COMMIT "unknown"
#endif

/* One library: its name as JSON and the text name it, its version. */
struct lib_version {
	const char *name;
	char version[64];
	const char *detail_key; /* "jit", "tls", or NULL */
	char detail[96];
};

enum {
	LIB_PCRE2,
	LIB_GIT2,
	LIB_CURL,
	LIB_CJSON,
	LIB_ZLIB,
	LIB_ARCHIVE,
	LIB_LZMA,
	LIB_DEFLATE,
	NLIBS
};

/*
 * Whether PCRE2 compiles to machine code here: built with JIT support
 * and able to map executable memory now (the engine falls back to the
 * interpreter when it cannot, which is slower but finds the same).
 */
static int pcre2_jit_works(void)
{
	uint32_t built = 0;
	pcre2_code *re;
	int errcode;
	PCRE2_SIZE erroff;
	int ok;

	if (pcre2_config(PCRE2_CONFIG_JIT, &built) < 0 || !built)
		return 0;
	re = pcre2_compile((PCRE2_SPTR) "a", 1, 0, &errcode, &erroff, NULL);
	if (!re)
		return 0;
	ok = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	pcre2_code_free(re);
	return ok;
}

/* Fills v[NLIBS] from the libraries loaded into this process. */
static void lib_versions(struct lib_version *v)
{
	char pcre2[64] = "";
	const struct archive_fns *la;
	int maj = 0, min = 0, rev = 0;

	memset(v, 0, NLIBS * sizeof(*v));
	/* "10.42 2022-12-11": the number only. */
	if (pcre2_config(PCRE2_CONFIG_VERSION, pcre2) < 0)
		snprintf(pcre2, sizeof(pcre2), "unknown");
	pcre2[strcspn(pcre2, " ")] = '\0';
	v[LIB_PCRE2].name = "pcre2";
	snprintf(v[LIB_PCRE2].version, sizeof(v->version), "%s", pcre2);
	v[LIB_PCRE2].detail_key = "jit";
	snprintf(v[LIB_PCRE2].detail, sizeof(v->detail), "%s",
		 pcre2_jit_works() ? "on" : "off");

	git_libgit2_version(&maj, &min, &rev);
	v[LIB_GIT2].name = "libgit2";
	snprintf(v[LIB_GIT2].version, sizeof(v->version), "%d.%d.%d", maj, min,
		 rev);

	/* Loaded (dlopen) only now: "not found" when it is missing. */
	v[LIB_CURL].name = "libcurl";
	v[LIB_CURL].detail_key = "tls";
	if (http_library_version(v[LIB_CURL].version, v[LIB_CURL].detail,
				 sizeof(v->version))) {
		snprintf(v[LIB_CURL].version, sizeof(v->version), "not found");
		snprintf(v[LIB_CURL].detail, sizeof(v->detail), "none");
	}

	v[LIB_CJSON].name = "cjson";
	snprintf(v[LIB_CJSON].version, sizeof(v->version), "%s",
		 cJSON_Version());

	v[LIB_ZLIB].name = "zlib";
	snprintf(v[LIB_ZLIB].version, sizeof(v->version), "%s", zlibVersion());

	/* Loaded (dlopen) only now: "not found" when it is missing. 3006002
	 * is 3.6.2. */
	v[LIB_ARCHIVE].name = "libarchive";
	if (archive_load(&la)) {
		snprintf(v[LIB_ARCHIVE].version, sizeof(v->version),
			 "not found");
	} else {
		int an = la->version_number();

		snprintf(v[LIB_ARCHIVE].version, sizeof(v->version), "%d.%d.%d",
			 an / 1000000, an / 1000 % 1000, an % 1000);
	}

	v[LIB_LZMA].name = "liblzma";
	snprintf(v[LIB_LZMA].version, sizeof(v->version), "%s",
		 lzma_version_string());

	/* libdeflate has no run-time version: the one built against. */
	v[LIB_DEFLATE].name = "libdeflate";
	snprintf(v[LIB_DEFLATE].version, sizeof(v->version), "%s",
		 LIBDEFLATE_VERSION_STRING);
}

static void print_human(FILE *out, const struct lib_version *v)
{
	size_t i;

	fprintf(out, "nfguard %s\ncommit %s\n", NFG_VERSION, NFG_COMMIT);
	for (i = 0; i < NLIBS; i++) {
		fprintf(out, "%s %s", v[i].name, v[i].version);
		if (v[i].detail_key)
			fprintf(out, " (%s %s)", v[i].detail_key, v[i].detail);
		fputc('\n', out);
	}
}

/* 0, or -1 when memory ran out. */
static int print_json(FILE *out, const struct lib_version *v)
{
	cJSON *doc = cJSON_CreateObject(), *libs, *lib;
	char *text = NULL;
	size_t i;
	int rc = -1;

	if (!doc || !cJSON_AddStringToObject(doc, "name", "nfguard") ||
	    !cJSON_AddStringToObject(doc, "version", NFG_VERSION) ||
	    !cJSON_AddStringToObject(doc, "commit", NFG_COMMIT) ||
	    !(libs = cJSON_AddObjectToObject(doc, "libraries")))
		goto done;
	for (i = 0; i < NLIBS; i++) {
		if (!(lib = cJSON_AddObjectToObject(libs, v[i].name)) ||
		    !cJSON_AddStringToObject(lib, "version", v[i].version))
			goto done;
		/* jit is a boolean; tls names the backend. */
		if (i == LIB_PCRE2 &&
		    !cJSON_AddBoolToObject(lib, "jit",
					   !strcmp(v[i].detail, "on")))
			goto done;
		if (i == LIB_CURL &&
		    !cJSON_AddStringToObject(lib, "tls", v[i].detail))
			goto done;
	}
	if (!(text = cJSON_PrintUnformatted(doc)))
		goto done;
	fprintf(out, "%s\n", text);
	rc = 0;
done:
	cJSON_free(text);
	cJSON_Delete(doc);
	return rc;
}

int cli_version(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
	struct lib_version v[NLIBS];
	int json = 0, ch;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:", longopts, NULL)) != -1) {
		if (ch == ':') {
			cli_error("option '%s' needs a value (human or json)",
				  argv[optind - 1]);
			return EXIT_ERROR;
		}
		if (ch != 'f') {
			cli_error("--version takes only --format human|json, "
				  "not '%s'",
				  argv[optind - 1]);
			return EXIT_ERROR;
		}
		if (!strcmp(optarg, "json")) {
			json = 1;
		} else if (!strcmp(optarg, "human")) {
			json = 0;
		} else {
			cli_error("--version --format: '%s' is not human or "
				  "json",
				  optarg);
			return EXIT_ERROR;
		}
	}
	if (optind < argc) {
		cli_error("--version takes no operand, not '%s'", argv[optind]);
		return EXIT_ERROR;
	}
	lib_versions(v);
	if (json ? print_json(stdout, v) : (print_human(stdout, v), 0)) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	return fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
}
