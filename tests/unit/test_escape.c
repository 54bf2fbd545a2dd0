/*
 * Unit tests of escaping: strict UTF-8 for JSON text (invalid bytes as
 * \xNN), control bytes for terminals, HTML text and attributes, JSON
 * strings in an HTML data block, and percent-encoding of URI paths.
 */
#include "util/common.h"
#include "util/escape.h"

#include <setjmp.h>
#include <cmocka.h>

typedef int (*escape_fn)(struct buf *, const char *, size_t);

/* Escapes n bytes of in with fn and checks the text against want. */
static void check(escape_fn fn, const char *in, size_t n, const char *want)
{
	struct buf b;

	buf_init(&b, BUF_DEFAULT_MAX);
	assert_int_equal(fn(&b, in, n), 0);
	assert_string_equal(b.ptr, want);
	assert_int_equal(b.len, strlen(want));
	buf_release(&b);
}

#define UTF8(in, want)	    check(escape_utf8, in, sizeof(in) - 1, want)
#define TERM(in, want)	    check(escape_term, in, sizeof(in) - 1, want)
#define URI(in, want)	    check(escape_uri_path, in, sizeof(in) - 1, want)
#define HTML(in, want)	    check(escape_html, in, sizeof(in) - 1, want)
#define JSON_HTML(in, want) check(escape_json_html, in, sizeof(in) - 1, want)

static void test_utf8_valid_kept(void **state)
{
	(void)state;
	UTF8("", "");
	UTF8("plain/path.txt", "plain/path.txt");
	/* 2, 3 and 4 byte sequences, and the last valid code points. */
	UTF8("caf\xc3\xa9", "caf\xc3\xa9");
	UTF8("\xe2\x80\xa6 \xe6\x97\xa5", "\xe2\x80\xa6 \xe6\x97\xa5");
	UTF8("\xf0\x9f\x94\x91", "\xf0\x9f\x94\x91");
	UTF8("\xed\x9f\xbf\xee\x80\x80", "\xed\x9f\xbf\xee\x80\x80");
	UTF8("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
	/* Control bytes are valid UTF-8: JSON escapes them later. */
	UTF8("a\tb\x1b", "a\tb\x1b");
	/* Backslashes are copied (only invalid bytes are rewritten). */
	UTF8("a\\b", "a\\b");
}

static void test_utf8_invalid_escaped(void **state)
{
	(void)state;
	/* Lone continuation bytes. */
	UTF8("a\x80z", "a\\x80z");
	UTF8("\xbf\xbf", "\\xBF\\xBF");
	/* Truncated sequences: at the end, and cut by an ASCII byte. */
	UTF8("x\xe2\x82", "x\\xE2\\x82");
	UTF8("\xe2\x82"
	     "A",
	     "\\xE2\\x82A");
	UTF8("\xf0\x9f\x94", "\\xF0\\x9F\\x94");
	/* Overlong encodings. */
	UTF8("\xc0\x80", "\\xC0\\x80");
	UTF8("\xc1\xbf", "\\xC1\\xBF");
	UTF8("\xe0\x80\xaf", "\\xE0\\x80\\xAF");
	UTF8("\xf0\x80\x80\xaf", "\\xF0\\x80\\x80\\xAF");
	/* UTF-16 surrogates. */
	UTF8("\xed\xa0\x80", "\\xED\\xA0\\x80");
	UTF8("\xed\xbf\xbf", "\\xED\\xBF\\xBF");
	/* Past U+10FFFF, and bytes that never occur. */
	UTF8("\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80");
	UTF8("\xf5\xf8\xfc\xfe\xff", "\\xF5\\xF8\\xFC\\xFE\\xFF");
	/* An invalid byte does not swallow the valid text after it. */
	UTF8("\xff\xc3\xa9", "\\xFF\xc3\xa9");
}

static void test_utf8_embedded_nul(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, BUF_DEFAULT_MAX);
	assert_int_equal(escape_utf8(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.ptr, "a\0b", 3);
	buf_release(&b);
}

static void test_term(void **state)
{
	(void)state;
	TERM("src/app.ts", "src/app.ts");
	TERM("caf\xc3\xa9 \xe2\x80\xa6", "caf\xc3\xa9 \xe2\x80\xa6");
	/* C0 controls, ESC sequences and DEL. */
	TERM("a\nb\r\t", "a\\x0Ab\\x0D\\x09");
	TERM("\x1b[31mred\x1b[0m", "\\x1B[31mred\\x1B[0m");
	TERM("\x7f", "\\x7F");
	TERM("\x01\x1f", "\\x01\\x1F");
	/* C1 controls as code points (U+0085, U+009B CSI) and raw. */
	TERM("\xc2\x85\xc2\x9b", "\\xC2\\x85\\xC2\\x9B");
	TERM("\x9b"
	     "2J",
	     "\\x9B2J");
	/* Bidirectional overrides. */
	TERM("a\xe2\x80\xae"
	     "b",
	     "a\\xE2\\x80\\xAEb");
	/* Invalid bytes, and the backslash that keeps escapes unambiguous. */
	TERM("\xff\xc0\x80", "\\xFF\\xC0\\x80");
	TERM("a\\x41", "a\\\\x41");
}

static void test_uri(void **state)
{
	(void)state;
	URI("src/app.ts", "src/app.ts");
	URI("A-Z_a~z.0-9/", "A-Z_a~z.0-9/");
	URI("my dir/file name.env", "my%20dir/file%20name.env");
	URI("100%.txt", "100%25.txt");
	URI("caf\xc3\xa9/\xff", "caf%C3%A9/%FF");
	URI("a:b?c#d&e+f", "a%3Ab%3Fc%23d%26e%2Bf");
	URI("back\\slash", "back%5Cslash");
}

static void test_html(void **state)
{
	(void)state;
	HTML("", "");
	HTML("src/app.env", "src/app.env");
	HTML("<img src=x onerror=alert(1)>.env",
	     "&lt;img src=x onerror=alert(1)&gt;.env");
	HTML("</script>", "&lt;/script&gt;");
	HTML("a&b \"q\" 'q'", "a&amp;b &quot;q&quot; &#39;q&#39;");
	/* Entities in the data stay text: & is escaped first and once. */
	HTML("&lt;", "&amp;lt;");
	/* Invalid bytes as escape_utf8 writes them; valid text kept. */
	HTML("caf\xc3\xa9 \xff<", "caf\xc3\xa9 \\xFF&lt;");
	HTML("\xc3<", "\\xC3&lt;");
	/* Unprintable characters as for a terminal; backslash as is. */
	HTML("a\nb\x1b[1m", "a\\x0Ab\\x1B[1m");
	HTML("x\xe2\x80\xaey", "x\\xE2\\x80\\xAEy");
	HTML("a\\b", "a\\b");
	HTML("a\0b", "a\\x00b");
}

/* What escape_html shows, as a JSON string that cannot end a script. */
static void test_json_html(void **state)
{
	(void)state;
	JSON_HTML("", "");
	JSON_HTML("src/app.env", "src/app.env");
	JSON_HTML("</script><!--", "\\u003c/script\\u003e\\u003c!--");
	JSON_HTML("a&b \"q\" 'q'", "a\\u0026b \\\"q\\\" 'q'");
	/* Invalid bytes and unprintable characters read as \xNN... */
	JSON_HTML("caf\xc3\xa9 \xff", "caf\xc3\xa9 \\\\xFF");
	JSON_HTML("a\nb\x1b", "a\\\\x0Ab\\\\x1B");
	JSON_HTML("x\xe2\x80\xa8y", "x\\\\xE2\\\\x80\\\\xA8y");
	JSON_HTML("a\0b", "a\\\\x00b");
	/* ...and a backslash as one. */
	JSON_HTML("a\\b", "a\\\\b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_kept),
		cmocka_unit_test(test_utf8_invalid_escaped),
		cmocka_unit_test(test_utf8_embedded_nul),
		cmocka_unit_test(test_term),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_json_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
