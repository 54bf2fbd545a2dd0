/*
 * Unit tests of known_hosts' @revoked lines on memory buffers: the key
 * compared as its base64, whatever the hosts; lines of another shape,
 * another marker or another key skipped; and base64 itself (RFC 4648's
 * vectors, padded and not, and an output too small).
 */
#include "util/common.h"
#include "util/error.h"
#include "sweep/knownhosts.h"

#include <setjmp.h>
#include <cmocka.h>

/* "key" as a host key blob: its base64 is "a2V5". */
static const unsigned char key[] = {'k', 'e', 'y'};

static int revoked(const char *text)
{
	return knownhosts_revoked(text, strlen(text), key, sizeof(key));
}

static void test_revoked(void **state)
{
	(void)state;
	assert_int_equal(revoked("@revoked * ssh-ed25519 a2V5\n"), 1);
	assert_int_equal(revoked("h a b\n@revoked h,[g]:2 t a2V5 c d\r\n"), 1);
	assert_int_equal(revoked("  @revoked\t|1|x|y ssh-rsa a2V5"), 1);
	/* A plain entry, another marker, another key, a short line. */
	assert_int_equal(revoked("* ssh-ed25519 a2V5\n"), 0);
	assert_int_equal(revoked("@cert-authority * ssh-ed25519 a2V5\n"), 0);
	assert_int_equal(revoked("@Revoked * ssh-ed25519 a2V5\n"), 0);
	assert_int_equal(revoked("@revoked * ssh-ed25519 a2V6\n"), 0);
	assert_int_equal(revoked("@revoked * ssh-ed25519 a2V5a\n"), 0);
	assert_int_equal(revoked("@revoked * a2V5\n"), 0);
	assert_int_equal(revoked("@revoked\n* t a2V5\n"), 0);
	assert_int_equal(revoked("# @revoked * t a2V5\n"), 0);
	assert_int_equal(revoked(""), 0);
	/* Bytes after a NUL are still read: the line is compared whole. */
	assert_int_equal(knownhosts_revoked("\0\n@revoked * t a2V5", 19, key,
					    sizeof(key)),
			 1);
	assert_int_equal(knownhosts_revoked("@revoked * t a2V5", 17, key, 0),
			 0);
}

static void b64(const char *in, int pad, const char *want)
{
	char out[16];

	assert_int_equal(knownhosts_base64((const unsigned char *)in,
					   strlen(in), pad, out, sizeof(out)),
			 strlen(want));
	assert_string_equal(out, want);
}

static void test_base64(void **state)
{
	char small[4] = "xyz";

	(void)state;
	b64("", 1, "");
	b64("f", 1, "Zg==");
	b64("fo", 1, "Zm8=");
	b64("foo", 1, "Zm9v");
	b64("foob", 1, "Zm9vYg==");
	b64("fooba", 1, "Zm9vYmE=");
	b64("foobar", 1, "Zm9vYmFy");
	b64("f", 0, "Zg");
	b64("fooba", 0, "Zm9vYmE");
	b64("\xff\xfe", 1, "//4=");
	/* Room for "Zm9v" but not its NUL. */
	assert_int_equal(knownhosts_base64((const unsigned char *)"foo", 3, 1,
					   small, sizeof(small)),
			 0);
	assert_string_equal(small, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
