/*
 * Unit tests of SHA-256: the FIPS 180-4 / NIST example vectors, one
 * million 'a' fed in pieces, incremental updates at every block boundary
 * against one-shot hashing, and the wipe in sha256_final.
 */
#include "util/common.h"
#include "util/sha256.h"

#include <setjmp.h>
#include <cmocka.h>

static void hex_of(const unsigned char md[32], char hex[65])
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = d[md[i] >> 4];
		hex[2 * i + 1] = d[md[i] & 0xf];
	}
	hex[64] = '\0';
}

static void test_vectors(void **state)
{
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		     "7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff"
			"61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db"
		 "06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijk"
		 "lmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afe"
		 "e9d1"},
	};
	char hex[65];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		sha256_hex(v[i].in, strlen(v[i].in), hex);
		assert_string_equal(hex, v[i].want);
	}
}

static void test_million_a(void **state)
{
	char chunk[1000];
	unsigned char md[32];
	char hex[65];
	struct sha256 c;
	size_t i;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&c);
	/* Uneven pieces (1000, then 7 + 993) so updates straddle blocks. */
	for (i = 0; i < 500; i++)
		sha256_update(&c, chunk, sizeof(chunk));
	for (i = 0; i < 500; i++) {
		sha256_update(&c, chunk, 7);
		sha256_update(&c, chunk, 993);
	}
	sha256_final(&c, md);
	hex_of(md, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a4"
				 "97200e046d39ccc7112cd0");
}

static void test_incremental_matches_one_shot(void **state)
{
	unsigned char data[300], md[32];
	char one[65], inc[65];
	struct sha256 c;
	size_t len, split;

	(void)state;
	for (len = 0; len < sizeof(data); len++)
		data[len] = (unsigned char)(len * 131 + 7);
	/* Every length around the padding edges (55, 56, 64, 119, 120...). */
	for (len = 0; len <= 200; len++) {
		sha256_hex(data, len, one);
		for (split = 0; split <= len; split += len / 7 + 1) {
			sha256_init(&c);
			sha256_update(&c, data, split);
			sha256_update(&c, data + split, 0);
			sha256_update(&c, data + split, len - split);
			sha256_final(&c, md);
			hex_of(md, inc);
			assert_string_equal(inc, one);
		}
	}
}

static void test_final_wipes(void **state)
{
	static const unsigned char zero[sizeof(struct sha256)];
	unsigned char md[32];
	struct sha256 c;

	(void)state;
	sha256_init(&c);
	sha256_update(&c, "a secret of some length", 23);
	sha256_final(&c, md);
	assert_memory_equal(&c, zero, sizeof(c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_incremental_matches_one_shot),
		cmocka_unit_test(test_final_wipes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
