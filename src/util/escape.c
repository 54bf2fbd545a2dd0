/*
 * Escaping of untrusted bytes for JSON text, terminals, HTML (text, and
 * JSON strings in a data block) and URIs.
 * UTF-8 is decoded strictly (RFC 3629): overlong forms, surrogates and
 * code points past U+10FFFF are invalid, and each invalid byte is escaped
 * on its own.
 */
#include "util/common.h"
#include "util/escape.h"

static const char hexdigits[] = "0123456789ABCDEF";

/*
 * Length (1..4) of the valid UTF-8 sequence at p, with its code point in
 * *cp, or 0 when the byte at p does not start a valid sequence.
 */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		c = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0; /* overlong */
		else if (p[0] == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90; /* overlong */
		else if (p[0] == 0xF4)
			hi = 0x8F; /* past U+10FFFF */
	} else {
		return 0; /* continuation byte, C0, C1 or F5..FF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		c = c << 6 | (p[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* Each byte as \xNN; in a JSON string, as \\xNN (which reads \xNN). */
static int put_hex_bytes(struct buf *out, const unsigned char *p, size_t n,
			 int json)
{
	char esc[5] = {'\\', '\\', 'x', 0, 0};
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		esc[3] = hexdigits[p[i] >> 4];
		esc[4] = hexdigits[p[i] & 0xF];
		err = buf_add(out, esc + !json, sizeof(esc) - !json);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Code points that are not printable on a terminal: C0, DEL, C1, and the
 * line separators and bidirectional controls that can make displayed text
 * differ from the bytes ("Trojan Source").
 */
static int is_unprintable(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
	       (cp >= 0x200E && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Where escaped text goes: each is one escape_* function below. */
enum place { PLACE_UTF8, PLACE_TERM, PLACE_HTML, PLACE_JSON_HTML };

/* The character reference of an HTML special character, or NULL. */
static const char *html_ref(uint32_t cp)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

/*
 * The JSON escape of a character special in a JSON string or an HTML
 * script element, or NULL (the backslash is escaped as for a terminal).
 */
static const char *json_html_ref(uint32_t cp)
{
	switch (cp) {
	case '"':
		return "\\\"";
	case '&':
		return "\\u0026";
	case '<':
		return "\\u003c";
	case '>':
		return "\\u003e";
	default:
		return NULL;
	}
}

/* Whether the valid character cp must be written otherwise than as is. */
static int must_escape(enum place to, uint32_t cp)
{
	switch (to) {
	case PLACE_TERM:
		return is_unprintable(cp) || cp == '\\';
	case PLACE_HTML:
		return is_unprintable(cp) || html_ref(cp) != NULL;
	case PLACE_JSON_HTML:
		return is_unprintable(cp) || cp == '\\' ||
		       json_html_ref(cp) != NULL;
	default:
		return 0;
	}
}

/*
 * Copies valid UTF-8 in runs (the common case is one memcpy) and writes
 * each invalid byte as \xNN; for a terminal, also unprintable characters
 * (their bytes as \xNN) and the backslash (as \\); for HTML, unprintable
 * characters as for a terminal and & < > " ' as character references; in
 * a JSON string, what HTML shows, with JSON's escapes.
 */
static int escape_text(struct buf *out, const char *p, size_t n, enum place to)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, run = 0, len;
	const char *ref;
	uint32_t cp = 0;
	int err;

	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len && !must_escape(to, cp)) {
			i += len;
			continue;
		}
		err = buf_add(out, s + run, i - run);
		if (err)
			return err;
		ref = !len		      ? NULL
		      : to == PLACE_HTML      ? html_ref(cp)
		      : to == PLACE_JSON_HTML ? json_html_ref(cp)
					      : NULL;
		if (ref) {
			err = buf_puts(out, ref);
		} else if (len == 1 && s[i] == '\\') {
			err = buf_add(out, "\\\\", 2);
		} else {
			if (!len)
				len = 1;
			err = put_hex_bytes(out, s + i, len,
					    to == PLACE_JSON_HTML);
		}
		if (err)
			return err;
		i += len;
		run = i;
	}
	return buf_add(out, s + run, i - run);
}

int escape_utf8(struct buf *out, const char *p, size_t n)
{
	return escape_text(out, p, n, PLACE_UTF8);
}

int escape_term(struct buf *out, const char *p, size_t n)
{
	return escape_text(out, p, n, PLACE_TERM);
}

int escape_html(struct buf *out, const char *p, size_t n)
{
	return escape_text(out, p, n, PLACE_HTML);
}

int escape_json_html(struct buf *out, const char *p, size_t n)
{
	return escape_text(out, p, n, PLACE_JSON_HTML);
}

static int is_uri_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '/';
}

int escape_uri_path(struct buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	char esc[3] = {'%', 0, 0};
	size_t i, run = 0;
	int err;

	for (i = 0; i < n; i++) {
		if (is_uri_plain(s[i]))
			continue;
		esc[1] = hexdigits[s[i] >> 4];
		esc[2] = hexdigits[s[i] & 0xF];
		err = buf_add(out, s + run, i - run);
		if (!err)
			err = buf_add(out, esc, sizeof(esc));
		if (err)
			return err;
		run = i + 1;
	}
	return buf_add(out, s + run, n - run);
}
