/*
 * Fuzzes the escaping of untrusted bytes (src/util/escape.c). Oracle:
 * escape_utf8 gives what a naive RFC 3629 decoder says, and cJSON carries
 * it unchanged; escape_term's output holds no C0, DEL, C1 or bidi control
 * and unescapes back to the input; escape_html's holds no < > " ' and no
 * & but its five character references, and with those read back is
 * escape_term's reference but for the backslash, kept; escape_json_html's
 * holds no < > & and, read by cJSON as a JSON string, is that same text;
 * escape_uri_path's
 * holds only unreserved bytes, '/' and %NN, and percent-decodes back to
 * the input.
 */
#include "fuzz.h"
#include "util/buf.h"
#include "util/escape.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/*
 * The valid UTF-8 sequence at p: its length (code point in *cp), or 0. A
 * sequence is valid when it decodes to a code point that needs exactly
 * that many bytes, is no surrogate and is at most U+10FFFF.
 */
static size_t ref_decode(const unsigned char *p, size_t n, unsigned long *cp)
{
	static const unsigned long least[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len, i;
	unsigned long c;

	if (p[0] < 0x80)
		len = 1, c = p[0];
	else if ((p[0] & 0xE0) == 0xC0)
		len = 2, c = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		len = 3, c = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3F);
	}
	if (c < least[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static int unprintable(unsigned long c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C ||
	       c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/*
 * The reference of escape_utf8 (term 0) and escape_term (term 1); term 2
 * is escape_html's before its character references: escape_term's but
 * for the backslash, kept.
 */
static void ref_escape(struct buf *out, const unsigned char *p, size_t n,
		       int term)
{
	size_t i = 0, len, k;
	unsigned long cp;

	while (i < n) {
		len = ref_decode(p + i, n - i, &cp);
		if (len && term == 1 && cp == '\\') {
			buf_puts(out, "\\\\");
		} else if (len && !(term && unprintable(cp))) {
			buf_add(out, p + i, len);
		} else {
			if (!len)
				len = 1;
			for (k = 0; k < len; k++)
				buf_printf(out, "\\x%02X", p[i + k]);
		}
		i += len;
	}
}

/* Every byte of p is part of a valid sequence of a printable character. */
static int all_valid(const unsigned char *p, size_t n, int term)
{
	size_t i = 0, len;
	unsigned long cp;

	while (i < n) {
		len = ref_decode(p + i, n - i, &cp);
		if (!len || (term && unprintable(cp)))
			return 0;
		i += len;
	}
	return 1;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes escape_term ("\\" and "\xNN"); 0, or -1 for a stray backslash. */
static int term_unescape(struct buf *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != '\\') {
			buf_putc(out, (char)p[i]);
		} else if (i + 1 < n && p[i + 1] == '\\') {
			buf_putc(out, '\\');
			i++;
		} else if (i + 3 < n && p[i + 1] == 'x' &&
			   hexval(p[i + 2]) >= 0 && hexval(p[i + 3]) >= 0) {
			buf_putc(out, (char)(hexval(p[i + 2]) * 16 +
					     hexval(p[i + 3])));
			i += 3;
		} else {
			return -1;
		}
	}
	return 0;
}

/*
 * Escapes data with escape_utf8 (term 0) or escape_term (term 1) into got
 * (initialised here) and checks it against the reference.
 */
static void escape_checked(struct buf *got, const unsigned char *data,
			   size_t size, int term)
{
	struct buf want;

	buf_init(got, BUF_DEFAULT_MAX);
	buf_init(&want, BUF_DEFAULT_MAX);
	FUZZ_CHECK((term ? escape_term : escape_utf8)(got, (const char *)data,
						      size) == 0);
	ref_escape(&want, data, size, term);
	FUZZ_CHECK(!buf_failed(&want));
	FUZZ_CHECK(got->len == want.len &&
		   !memcmp(got->ptr, want.ptr, got->len));
	/* for a terminal: no ESC or other control, no C1, no bidi */
	FUZZ_CHECK(all_valid((unsigned char *)got->ptr, got->len, term));
	buf_release(&want);
}

static void check_utf8(const unsigned char *data, size_t size)
{
	struct buf got;
	cJSON *s, *back;
	char *text;

	escape_checked(&got, data, size, 0);
	if (all_valid(data, size, 0))
		FUZZ_CHECK(got.len == size && !memcmp(got.ptr, data, size));
	/* a JSON string of it reads back the same (when it holds no NUL) */
	if (!memchr(got.ptr, '\0', got.len)) {
		s = cJSON_CreateString(got.ptr);
		text = s ? cJSON_PrintUnformatted(s) : NULL;
		back = text ? cJSON_Parse(text) : NULL;
		FUZZ_CHECK(back && cJSON_IsString(back) &&
			   !strcmp(back->valuestring, got.ptr));
		cJSON_Delete(back);
		free(text);
		cJSON_Delete(s);
	}
	buf_release(&got);
}

static void check_term(const unsigned char *data, size_t size)
{
	struct buf got, back;

	escape_checked(&got, data, size, 1);
	buf_init(&back, BUF_DEFAULT_MAX);
	FUZZ_CHECK(term_unescape(&back, (unsigned char *)got.ptr, got.len) ==
		   0);
	FUZZ_CHECK(!buf_failed(&back));
	FUZZ_CHECK(back.len == size && !memcmp(back.ptr, data, size));
	buf_release(&got);
	buf_release(&back);
}

static void check_html(const unsigned char *data, size_t size)
{
	static const char *const refs[] = {"&amp;", "&lt;", "&gt;", "&quot;",
					   "&#39;"};
	static const char plain[] = "&<>\"'";
	struct buf got, back, want;
	size_t i, k;

	buf_init(&got, BUF_DEFAULT_MAX);
	buf_init(&back, BUF_DEFAULT_MAX);
	buf_init(&want, BUF_DEFAULT_MAX);
	FUZZ_CHECK(escape_html(&got, (const char *)data, size) == 0);
	FUZZ_CHECK(all_valid((unsigned char *)got.ptr, got.len, 1));
	for (i = 0; i < got.len; i++) {
		FUZZ_CHECK(!strchr("<>\"'", got.ptr[i]) || !got.ptr[i]);
		if (got.ptr[i] != '&') {
			buf_putc(&back, got.ptr[i]);
			continue;
		}
		for (k = 0; k < 4; k++)
			if (!strncmp(got.ptr + i, refs[k], strlen(refs[k])))
				break;
		FUZZ_CHECK(!strncmp(got.ptr + i, refs[k], strlen(refs[k])));
		buf_putc(&back, plain[k]);
		i += strlen(refs[k]) - 1;
	}
	ref_escape(&want, data, size, 2);
	FUZZ_CHECK(!buf_failed(&back) && !buf_failed(&want));
	FUZZ_CHECK(back.len == want.len &&
		   !memcmp(back.ptr, want.ptr, back.len));
	buf_release(&got);
	buf_release(&back);
	buf_release(&want);
}

static void check_json_html(const unsigned char *data, size_t size)
{
	struct buf got, quoted, want;
	cJSON *back;

	buf_init(&got, BUF_DEFAULT_MAX);
	buf_init(&quoted, BUF_DEFAULT_MAX);
	buf_init(&want, BUF_DEFAULT_MAX);
	FUZZ_CHECK(escape_json_html(&got, (const char *)data, size) == 0);
	FUZZ_CHECK(!memchr(got.ptr, '<', got.len) &&
		   !memchr(got.ptr, '>', got.len) &&
		   !memchr(got.ptr, '&', got.len));
	buf_printf(&quoted, "\"%s\"", got.ptr);
	ref_escape(&want, data, size, 2);
	FUZZ_CHECK(!buf_failed(&quoted) && !buf_failed(&want));
	back = cJSON_Parse(quoted.ptr);
	FUZZ_CHECK(back && cJSON_IsString(back) &&
		   strlen(back->valuestring) == want.len &&
		   !memcmp(back->valuestring, want.ptr, want.len));
	cJSON_Delete(back);
	buf_release(&got);
	buf_release(&quoted);
	buf_release(&want);
}

static int uri_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || strchr("-._~/", c);
}

static void check_uri(const unsigned char *data, size_t size)
{
	struct buf got, back;
	size_t i;

	buf_init(&got, BUF_DEFAULT_MAX);
	buf_init(&back, BUF_DEFAULT_MAX);
	FUZZ_CHECK(escape_uri_path(&got, (const char *)data, size) == 0);
	for (i = 0; i < got.len; i++) {
		unsigned char c = (unsigned char)got.ptr[i];

		if (c != '%') {
			FUZZ_CHECK(c && uri_plain(c));
			buf_putc(&back, (char)c);
			continue;
		}
		FUZZ_CHECK(i + 2 < got.len);
		FUZZ_CHECK(hexval((unsigned char)got.ptr[i + 1]) >= 0 &&
			   hexval((unsigned char)got.ptr[i + 2]) >= 0);
		c = (unsigned char)(hexval((unsigned char)got.ptr[i + 1]) * 16 +
				    hexval((unsigned char)got.ptr[i + 2]));
		/* only what must be encoded is */
		FUZZ_CHECK(!c || !uri_plain(c));
		buf_putc(&back, (char)c);
		i += 2;
	}
	FUZZ_CHECK(!buf_failed(&back));
	FUZZ_CHECK(back.len == size && !memcmp(back.ptr, data, size));
	buf_release(&got);
	buf_release(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_utf8(data, size);
	check_term(data, size);
	check_html(data, size);
	check_json_html(data, size);
	check_uri(data, size);
	return 0;
}
