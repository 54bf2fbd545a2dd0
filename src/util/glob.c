/*
 * gitignore-like glob matching in two levels: bytes within a segment
 * ('*', '?', classes, escapes) and segments within a path ('**'). Each
 * level is the classic iterative wildcard loop with one backtrack point,
 * which is exact here because every other token matches one unit.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/glob.h"

/* The pattern after removing anchors and directory markers. */
struct pat {
	const char *b, *e; /* the segments that remain */
	int lead_any;	   /* unanchored: a virtual leading "**" */
	int ndir; /* virtual "*" segments: 1 for a folder, 2 for a folder
		     inside one (a final "**" and a trailing slash) */
	int dir;  /* the pattern ended with '/' */
};

/* Where a walk over the pattern's (virtual and real) segments is. */
enum part { PART_LEAD, PART_REAL, PART_DIR, PART_TAIL, PART_END };

struct pcur {
	enum part part;
	const char *s; /* start of the current real segment */
	int dir_left;  /* virtual "*" segments still to come */
};

static int named_class(const char *name, size_t n, unsigned char c)
{
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
	int up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
	int dig = c >= '0' && c <= '9';
	int graph = c > 0x20 && c < 0x7f;

	if (IS("alpha"))
		return up || lo;
	if (IS("alnum"))
		return up || lo || dig;
	if (IS("digit"))
		return dig;
	if (IS("upper"))
		return up;
	if (IS("lower"))
		return lo;
	if (IS("xdigit"))
		return dig || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	if (IS("space"))
		return c == ' ' || (c >= '\t' && c <= '\r');
	if (IS("blank"))
		return c == ' ' || c == '\t';
	if (IS("cntrl"))
		return c < 0x20 || c == 0x7f;
	if (IS("graph"))
		return graph;
	if (IS("print"))
		return graph || c == ' ';
	if (IS("punct"))
		return graph && !up && !lo && !dig;
	return -1;
#undef IS
}

/*
 * p points at '['. Returns the byte after the closing ']', or NULL (with
 * *why) when the class is malformed. Only looks before end.
 */
static const char *class_end(const char *p, const char *end, const char **why)
{
	const char *q = p + 1;

	if (q < end && (*q == '!' || *q == '^'))
		q++;
	if (q < end && *q == ']')
		q++;
	while (q < end && *q != ']') {
		if (*q == '[' && q + 1 < end && q[1] == ':') {
			const char *n = q + 2, *c = n;

			while (c + 1 < end && !(c[0] == ':' && c[1] == ']'))
				c++;
			if (c + 1 >= end ||
			    named_class(n, (size_t)(c - n), 0) < 0) {
				*why = "unknown [:name:] class";
				return NULL;
			}
			q = c + 2;
			continue;
		}
		/* one byte, maybe escaped, maybe "-x" after it: the items
		 * class_match reads, so both end the class at the same ']' */
		if (*q == '\\' && ++q >= end)
			break;
		q++;
		if (q + 1 < end && *q == '-' && q[1] != ']') {
			q += 2;
			if (q[-1] == '\\' && q++ >= end)
				break;
		}
	}
	if (q >= end) {
		*why = "unterminated '['";
		return NULL;
	}
	return q + 1;
}

/* p: just after '[' (and after '!' or '^'); e: at the closing ']'. */
static int class_match(const char *p, const char *e, unsigned char c)
{
	int hit = 0;

	while (p < e) {
		unsigned char lo, hi;

		if (*p == '[' && p + 1 < e && p[1] == ':') {
			const char *n = p + 2, *q = n;

			while (!(q[0] == ':' && q[1] == ']'))
				q++;
			hit |= named_class(n, (size_t)(q - n), c) > 0;
			p = q + 2;
			continue;
		}
		if (*p == '\\')
			p++;
		lo = (unsigned char)*p++;
		hi = lo;
		if (p + 1 < e && *p == '-') {
			if (p[1] == '\\') {
				hi = (unsigned char)p[2];
				p += 3;
			} else {
				hi = (unsigned char)p[1];
				p += 2;
			}
		}
		/* as in git, a reversed range still holds its first byte */
		hit |= c == lo || (c >= lo && c <= hi);
	}
	return hit;
}

/*
 * Matches one pattern token at *p against byte c; on a match *p moves past
 * the token. The pattern was checked, so classes are well formed.
 */
static int token_match(const char **p, const char *pe, unsigned char c)
{
	const char *q = *p, *end;
	const char *why;
	int neg, hit;

	switch (*q) {
	case '?':
		*p = q + 1;
		return 1;
	case '[':
		end = class_end(q, pe, &why);
		if (!end)
			return 0;
		q++;
		neg = *q == '!' || *q == '^';
		hit = class_match(q + neg, end - 1, c);
		if (hit == neg)
			return 0;
		*p = end;
		return 1;
	case '\\':
		if (q + 1 >= pe || (unsigned char)q[1] != c)
			return 0;
		*p = q + 2;
		return 1;
	default:
		if ((unsigned char)*q != c)
			return 0;
		*p = q + 1;
		return 1;
	}
}

/* Matches the segment pattern [p, pe) against the segment [t, te). */
static int seg_match(const char *p, const char *pe, const char *t,
		     const char *te)
{
	const char *star_p = NULL, *star_t = NULL;

	while (t < te) {
		if (p < pe && *p == '*') {
			while (p < pe && *p == '*')
				p++;
			if (p == pe)
				return 1; /* a segment holds no '/' */
			star_p = p;
			star_t = t;
			continue;
		}
		if (p < pe && token_match(&p, pe, (unsigned char)*t)) {
			t++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		t = ++star_t;
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

/* The end of the pattern segment starting at p ('/' or pe). */
static const char *pseg_end(const char *p, const char *pe)
{
	while (p < pe && *p != '/') {
		if (*p == '\\' && p + 1 < pe)
			p++;
		p++;
	}
	return p;
}

/* The current segment of the walk: 0 at the end. */
static int pcur_seg(const struct pat *pt, const struct pcur *c, const char **s,
		    const char **e)
{
	static const char dstar[] = "**";

	switch (c->part) {
	case PART_LEAD:
	case PART_TAIL:
		*s = dstar;
		*e = dstar + 2;
		return 1;
	case PART_DIR:
		*s = dstar;
		*e = dstar + 1;
		return 1;
	case PART_REAL:
		*s = c->s;
		*e = pseg_end(c->s, pt->e);
		return 1;
	default:
		return 0;
	}
}

static void pcur_next(const struct pat *pt, struct pcur *c)
{
	const char *e;

	switch (c->part) {
	case PART_LEAD:
		c->part = PART_REAL;
		break;
	case PART_REAL:
		e = pseg_end(c->s, pt->e);
		if (e < pt->e)
			c->s = e + 1;
		else
			c->part = pt->ndir ? PART_DIR : PART_TAIL;
		c->dir_left = pt->ndir;
		break;
	case PART_DIR:
		if (--c->dir_left <= 0)
			c->part = PART_TAIL;
		break;
	default:
		c->part = PART_END;
		break;
	}
}

/* 1 when the walk stands on a "**" segment. */
static int pcur_dstar(const struct pat *pt, const struct pcur *c)
{
	const char *s, *e;

	return pcur_seg(pt, c, &s, &e) && e - s == 2 && s[0] == '*' &&
	       s[1] == '*';
}

/* The path segment after the one at t, or NULL after the last. */
static const char *tseg_next(const char *t)
{
	const char *slash = strchr(t, '/');

	return slash ? slash + 1 : NULL;
}

static const char *tseg_end(const char *t)
{
	const char *slash = strchr(t, '/');

	return slash ? slash : t + strlen(t);
}

/* Whether the '/' at p is escaped by an odd run of backslashes. */
static int escaped(const char *start, const char *p)
{
	size_t n = 0;

	while (p > start && p[-1] == '\\') {
		n++;
		p--;
	}
	return n % 2 != 0;
}

static void pat_init(struct pat *pt, const char *pattern)
{
	const char *b = pattern, *e = pattern + strlen(pattern);
	int anchored = 0, dir = 0, inside = 0;

	while (*b == '/') {
		anchored = 1;
		b++;
	}
	while (e > b && e[-1] == '/' && !escaped(b, e - 1)) {
		dir = 1;
		e--;
	}
	if (pseg_end(b, e) < e)
		anchored = 1;
	/* A final "**" segment means everything inside the folder before. */
	while (e - b >= 3 && e[-1] == '*' && e[-2] == '*' && e[-3] == '/' &&
	       !escaped(b, e - 3)) {
		inside = 1;
		e -= 3;
	}
	pt->b = b;
	pt->e = e;
	pt->lead_any = !anchored;
	pt->ndir = dir + inside;
	pt->dir = dir;
}

/* 1 when every real segment of the pattern is "**". */
static int only_dstar(const struct pat *pt)
{
	const char *p = pt->b, *e;

	for (;;) {
		e = pseg_end(p, pt->e);
		if (e - p != 2 || p[0] != '*' || p[1] != '*')
			return 0;
		if (e == pt->e)
			return 1;
		p = e + 1;
	}
}

/* The reason pattern is invalid, or NULL when it is valid. */
static const char *pattern_problem(const char *pattern)
{
	const char *reason = NULL, *p, *e = pattern + strlen(pattern);
	struct pat pt;

	pat_init(&pt, pattern);
	if (pt.b == pt.e)
		return "empty pattern";
	if (*pattern == '!')
		return "negation ('!') is not supported; write '\\!' for a "
		       "literal '!'";
	for (p = pattern; p < e; p++) {
		if (*p == '\\') {
			if (p + 1 >= e)
				return "trailing '\\'";
			p++;
		} else if (*p == '[') {
			p = class_end(p, pseg_end(p, e), &reason);
			if (!p)
				return reason;
			p--;
		}
	}
	return NULL;
}

int glob_check(const char *pattern, const char **why)
{
	const char *reason = pattern_problem(pattern);

	if (!reason)
		return 0;
	if (why)
		*why = reason;
	return error_set(NFG_EINVAL, "bad glob '%s': %s", pattern, reason);
}

int glob_match(const char *pattern, const char *path)
{
	struct pat pt;
	struct pcur pc, star_pc = {PART_END, NULL, 0};
	const char *t = path, *star_t = NULL, *ps, *pe;
	int have_star = 0;

	if (!*path || pattern_problem(pattern))
		return 0;
	pat_init(&pt, pattern);
	if (only_dstar(&pt)) {
		/* nothing but "**": a path deep enough is all it takes */
		size_t segs = 1;

		for (ps = path; *ps; ps++)
			segs += *ps == '/';
		return segs > (size_t)pt.dir;
	}
	pc.part = pt.lead_any ? PART_LEAD : PART_REAL;
	pc.s = pt.b;
	pc.dir_left = 0;
	for (;;) {
		if (pcur_dstar(&pt, &pc)) {
			while (pcur_dstar(&pt, &pc))
				pcur_next(&pt, &pc);
			if (pc.part == PART_END)
				return 1; /* a final "**" takes the rest */
			star_pc = pc;
			star_t = t;
			have_star = 1;
			continue;
		}
		if (!t)
			break;
		if (pcur_seg(&pt, &pc, &ps, &pe) &&
		    seg_match(ps, pe, t, tseg_end(t))) {
			pcur_next(&pt, &pc);
			t = tseg_next(t);
			continue;
		}
		/* let the last "**" take one more segment */
		if (!have_star || !star_t || !(star_t = tseg_next(star_t)))
			return 0;
		t = star_t;
		pc = star_pc;
	}
	return pc.part == PART_END;
}
