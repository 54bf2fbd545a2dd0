/*
 * Unit tests of known_hosts' @revoked lines on memory buffers: the key
 * compared as its base64, whatever the hosts; lines of another shape,
 * another marker or another key skipped.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revoked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
