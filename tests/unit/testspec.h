/*
 * Helpers shared by the tests of the verify and revoke request specs:
 * a rule holding one spec, and the check that a bad spec is refused.
 * Include after cmocka.h.
 */
#ifndef NFG_TESTS_TESTSPEC_H
#define NFG_TESTS_TESTSPEC_H

#include <string.h>

#include "engine/engine.h"
#include "util/error.h"
#include "verify/verify.h"

/* Which of a rule's specs a test is about. */
enum test_spec_kind { TEST_VERIFY_SPEC, TEST_REVOKE_SPEC };

/* A rule "r1" from "rules.json" whose verify or revoke object is json. */
static inline struct rule_spec test_rule(enum test_spec_kind kind,
					 const char *json)
{
	struct rule_spec r;

	memset(&r, 0, sizeof(r));
	r.id = "r1";
	r.origin = "rules.json";
	if (kind == TEST_VERIFY_SPEC)
		r.verify_json = (char *)json;
	else
		r.revoke_json = (char *)json;
	return r;
}

/* parse refuses json (NFG_EINVAL) with a message containing msg. */
static inline void
test_spec_refused(int (*parse)(struct api_spec *, const struct rule_spec *),
		  enum test_spec_kind kind, const char *json, const char *msg)
{
	struct rule_spec r = test_rule(kind, json);
	struct api_spec s;

	assert_int_equal(parse(&s, &r), NFG_EINVAL);
	if (!strstr(error_last(), msg))
		fail_msg("message '%s' lacks '%s'", error_last(), msg);
}

#endif
