/*
 * The folder source: one thread walks the targets (no symbolic links
 * followed, .git folders skipped, other git directories handed to the
 * caller, or walked but for their object databases) and queues regular
 * files; worker
 * threads each with their own scanner read and scan them. Findings are
 * merged and sorted at the end, so the output does not depend on the
 * thread count.
 */
#include "util/common.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/glob.h"
#include "source/collect.h"
#include "source/source.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#define QUEUE_CAP 4096

struct job {
	char *full;    /* path to open */
	char *display; /* path to report */
};

struct walk {
	const struct ruleset *rs;
	const struct decode_opts *decode;
	problem_fn problem;
	void *pctx;
	const struct dir_opts *opts; /* git_dir, git_folder, what to skip */
	pthread_mutex_t lock;	     /* guards everything below and problem() */
	pthread_cond_t not_empty, not_full;
	struct job queue[QUEUE_CAP];
	size_t head, count;
	int done;   /* no more jobs will come */
	int failed; /* a worker hit a fatal error (out of memory) */
	struct findings found;
	struct scan_totals totals;
	uint64_t seen_files, seen_bytes; /* for opts->progress */
	struct timespec last_progress;
	/*
	 * The walking thread's: where a path below the target starts in a
	 * display path, what anchored globs see before it (below_anchor) or
	 * strip from it first (above_anchor), and room to build paths in.
	 */
	size_t rel_off;
	char *target_real; /* the folder target's real path, with anchored */
	const char *below_anchor, *above_anchor;
	struct buf rel, anchored;
};

static void report(struct walk *w, enum problem_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports a problem; the caller must not hold the lock. */
static void report(struct walk *w, enum problem_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	source_problem(&w->lock, &w->totals, w->problem, w->pctx, kind, fmt,
		       ap);
	va_end(ap);
}

/* Queues a job (taking its strings); blocks while the queue is full. */
static void enqueue(struct walk *w, char *full, char *display)
{
	pthread_mutex_lock(&w->lock);
	while (w->count == QUEUE_CAP)
		pthread_cond_wait(&w->not_full, &w->lock);
	w->queue[(w->head + w->count) % QUEUE_CAP].full = full;
	w->queue[(w->head + w->count) % QUEUE_CAP].display = display;
	w->count++;
	pthread_cond_signal(&w->not_empty);
	pthread_mutex_unlock(&w->lock);
}

static int dequeue(struct walk *w, struct job *j)
{
	pthread_mutex_lock(&w->lock);
	while (!w->count && !w->done)
		pthread_cond_wait(&w->not_empty, &w->lock);
	if (!w->count) {
		pthread_mutex_unlock(&w->lock);
		return 0;
	}
	*j = w->queue[w->head];
	w->head = (w->head + 1) % QUEUE_CAP;
	w->count--;
	pthread_cond_signal(&w->not_full);
	pthread_mutex_unlock(&w->lock);
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* Counts a file or folder left out and hands it to the caller. */
static void skipped(struct walk *w, enum dir_skip why, const char *display,
		    const char *glob, int anchored, uint64_t size)
{
	pthread_mutex_lock(&w->lock);
	if (why == DIR_SKIP_EXCLUDED)
		w->totals.excluded++;
	else
		w->totals.too_large++;
	if (w->opts->skipped)
		w->opts->skipped(w->opts->skip_ctx, why, display, glob,
				 anchored, size);
	pthread_mutex_unlock(&w->lock);
}

/*
 * A git pack or bundle: its objects are compressed, so scanning its bytes
 * would call it clean. Told by name and then by its first bytes.
 */
static const char *git_archive_kind(int fd, const char *name)
{
	char head[16];
	ssize_t n;

	if (!ends_with(name, ".pack") && !ends_with(name, ".bundle"))
		return NULL;
	n = pread(fd, head, sizeof(head), 0);
	if (n >= 8 && !memcmp(head, "PACK", 4) &&
	    !memcmp(head + 4, "\0\0\0", 3) && (head[7] == 2 || head[7] == 3))
		return "pack";
	if (n >= 15 && (!memcmp(head, "# v2 git bundle", 15) ||
			!memcmp(head, "# v3 git bundle", 15)))
		return "bundle";
	return NULL;
}

/*
 * A file read to its end: were the bytes scanned the file's? before is
 * its fstat before the first read, bytes what the reads gave.
 */
static void check_changed(struct walk *w, const struct job *j, int fd,
			  const struct stat *before, uint64_t bytes,
			  struct scan_totals *t)
{
	struct stat after;
	enum file_change c;

	if (fstat(fd, &after)) {
		report(w, PROBLEM_ERROR,
		       "cannot stat '%s' after reading it: %s", j->display,
		       strerror(errno));
		return;
	}
	if ((c = file_change(before, &after, bytes)) == FILE_UNCHANGED)
		return;
	t->changed++;
	if (c == FILE_GREW)
		report(w, PROBLEM_WARNING,
		       "'%s' grew while it was read (%jd to %jd bytes): all "
		       "of it was scanned",
		       j->display, (intmax_t)before->st_size,
		       (intmax_t)after.st_size);
	else
		report(w, PROBLEM_ERROR,
		       "'%s' changed while it was read (%jd bytes before, "
		       "%jd after, %ju read): part of it may not have been "
		       "scanned",
		       j->display, (intmax_t)before->st_size,
		       (intmax_t)after.st_size, (uintmax_t)bytes);
}

/* Scans one file into out; per-file problems are reported, not returned. */
static int scan_file(struct walk *w, struct collector *sc, const struct job *j,
		     struct findings *out, struct scan_totals *t)
{
	const char *kind;
	struct stat st;
	uint64_t bytes = 0;
	int fd, err;

	fd = open(j->full,
		  O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		report(w, PROBLEM_UNREADABLE, "cannot open '%s': %s",
		       j->display, strerror(errno));
		return 0;
	}
	/* The walk saw a regular file; make sure it still is one. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	if (w->opts->max_file_size &&
	    (uint64_t)st.st_size > w->opts->max_file_size) {
		close(fd);
		skipped(w, DIR_SKIP_TOO_LARGE, j->display, NULL, 0,
			(uint64_t)st.st_size);
		return 0;
	}
	if ((kind = git_archive_kind(fd, j->display))) {
		close(fd);
		report(w, PROBLEM_ERROR,
		       "'%s' is a git %s: its objects are compressed, %s",
		       j->display, kind,
		       !strcmp(kind, "pack")
			       ? "scan its repository with nfguard git"
			       : "clone it and scan the clone with nfguard "
				 "git");
		return 0;
	}
	/* Read ahead pays past one read; below it, it is one more call. */
	if ((uint64_t)st.st_size > SCANNER_CHUNK)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	err = source_scan_fd(sc, j->display, fd, out, &bytes);
	t->bytes += bytes;
	if (err == NFG_EIO) {
		/* Not scanned: an error, and not one of the files scanned. */
		close(fd);
		report(w, PROBLEM_UNREADABLE, "cannot read '%s': %s",
		       j->display, error_last());
		return 0;
	}
	if (!err)
		check_changed(w, j, fd, &st, bytes, t);
	close(fd);
	t->files++;
	return err;
}

/* Counts a file read and says so, at most ten times a second. */
static void progress(struct walk *w, uint64_t bytes)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&w->lock);
	w->seen_files++;
	w->seen_bytes += bytes;
	if ((now.tv_sec - w->last_progress.tv_sec) * 1000000000L +
		    (now.tv_nsec - w->last_progress.tv_nsec) >
	    100000000L) {
		w->last_progress = now;
		w->opts->progress(w->pctx, w->seen_files, 0, w->seen_bytes);
	}
	pthread_mutex_unlock(&w->lock);
}

static void *worker(void *arg)
{
	struct walk *w = arg;
	struct findings mine;
	struct scan_totals t = {0};
	struct collector *sc = NULL;
	struct collect_env env = {w->rs,      w->decode,  &w->lock,
				  &w->totals, w->problem, w->pctx};
	struct job j;
	int err;

	findings_init(&mine);
	err = collector_new(&sc, &env);
	while (dequeue(w, &j)) {
		uint64_t before = t.bytes;

		if (!err)
			err = scan_file(w, sc, &j, &mine, &t);
		free(j.full);
		free(j.display);
		if (w->opts->progress)
			progress(w, t.bytes - before);
	}
	collector_free(sc);
	pthread_mutex_lock(&w->lock);
	if (err || findings_merge(&w->found, &mine))
		w->failed = 1;
	w->totals.files += t.files;
	w->totals.bytes += t.bytes;
	w->totals.changed += t.changed;
	pthread_mutex_unlock(&w->lock);
	findings_release(&mine);
	return NULL;
}

/* "a" + "/" + "b", with "." and "" on the left meaning nothing. */
static char *join(const char *a, const char *b)
{
	struct buf out;

	buf_init(&out, BUF_DEFAULT_MAX);
	if (!*a || !strcmp(a, "."))
		buf_puts(&out, b);
	else if (!*b)
		buf_puts(&out, a);
	else if (a[strlen(a) - 1] == '/')
		buf_printf(&out, "%s%s", a, b);
	else
		buf_printf(&out, "%s/%s", a, b);
	return buf_detach(&out, NULL);
}

/*
 * path's part below folder dir ("" for dir itself), or NULL when path is
 * not dir or below it. Both absolute, without symbolic links.
 */
static const char *below(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 1 && *dir == '/')
		return *path == '/' ? path + 1 : NULL;
	if (strncmp(path, dir, n) || (path[n] && path[n] != '/'))
		return NULL;
	return path[n] ? path + n + 1 : path + n;
}

/*
 * The exclude that rel (a path below the target, a folder's with a
 * trailing '/') matches, or NULL; *anchored says which list it is in.
 * Called from the walking thread only.
 */
static const char *excluded(struct walk *w, const char *rel, int *anchored)
{
	const struct dir_opts *o = w->opts;
	const char *path = NULL;
	size_t i, n;

	for (i = 0; i < o->nexcludes; i++)
		if (glob_match(o->excludes[i], rel)) {
			*anchored = 0;
			return o->excludes[i];
		}
	if (!o->nanchored)
		return NULL;
	if (w->below_anchor) {
		buf_reset(&w->anchored);
		if (*w->below_anchor)
			buf_printf(&w->anchored, "%s/", w->below_anchor);
		buf_puts(&w->anchored, rel);
		path = buf_failed(&w->anchored) ? NULL : w->anchored.ptr;
	} else if (w->above_anchor) {
		n = strlen(w->above_anchor);
		if (!strncmp(rel, w->above_anchor, n) && rel[n] == '/')
			path = rel + n + 1;
	}
	for (i = 0; path && i < o->nanchored; i++)
		if (glob_match(o->anchored[i], path)) {
			*anchored = 1;
			return o->anchored[i];
		}
	return NULL;
}

/*
 * Whether the entry name of folder d (its display path) is left out by
 * an exclude: counted and handed over when it is.
 */
static int exclude_entry(struct walk *w, const char *dir_display, int root,
			 const char *name, int is_dir)
{
	const char *glob, *rel = root ? "" : dir_display + w->rel_off;
	char *display;
	int anchored = 0;

	buf_reset(&w->rel);
	if (*rel)
		buf_printf(&w->rel, "%s/", rel);
	buf_puts(&w->rel, name);
	if (is_dir)
		buf_putc(&w->rel, '/');
	if (buf_failed(&w->rel) || !(glob = excluded(w, w->rel.ptr, &anchored)))
		return 0;
	/* Named as findings name it. */
	display = join(dir_display, name);
	buf_reset(&w->anchored);
	buf_printf(&w->anchored, "%s%s", display ? display : w->rel.ptr,
		   is_dir && display ? "/" : "");
	free(display);
	skipped(w, DIR_SKIP_EXCLUDED,
		buf_failed(&w->anchored) ? w->rel.ptr : w->anchored.ptr, glob,
		anchored, 0);
	return 1;
}

/*
 * A folder still to walk: where to open it and how to name what is in it;
 * git: a git directory, lfs: the lfs/ folder of one (the objects/ folder
 * of either is an object database, never walked).
 */
struct pending_dir {
	char *full, *display;
	unsigned git : 1, lfs : 1;
	unsigned root : 1; /* the folder target itself */
};

struct dir_stack {
	struct pending_dir *v;
	size_t n, cap;
};

static int push_dir(struct dir_stack *st, char *full, char *display, int git,
		    int lfs)
{
	if (!full || !display)
		goto oom;
	if (ARRAY_GROW(st->v, st->n, st->cap))
		goto oom;
	st->v[st->n].full = full;
	st->v[st->n].display = display;
	st->v[st->n].git = git;
	st->v[st->n].lfs = lfs;
	st->v[st->n].root = 0;
	st->n++;
	return 0;
oom:
	free(full);
	free(display);
	return error_nomem();
}

/*
 * HEAD names a ref ("ref: refs/...", or a symbolic link into refs/) or
 * holds a commit id, as git's validate_headref asks.
 */
static int valid_head(int dfd)
{
	char b[80];
	ssize_t n;
	size_t i = 0;
	struct stat st;
	int fd;

	if (fstatat(dfd, "HEAD", &st, AT_SYMLINK_NOFOLLOW))
		return 0;
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(dfd, "HEAD", b, sizeof(b));
		return n >= 5 && !memcmp(b, "refs/", 5);
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	fd = openat(dfd, "HEAD",
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n < 0)
		return 0;
	b[n] = '\0';
	if (!strncmp(b, "ref:", 4)) {
		i = 4;
		while (b[i] == ' ' || b[i] == '\t')
			i++;
		return !strncmp(b + i, "refs/", 5);
	}
	while (i < (size_t)n && isxdigit((unsigned char)b[i]))
		i++;
	return i == 40 || i == 64;
}

/*
 * A git directory, by git's own test (setup.c is_git_directory): HEAD as
 * above, and objects/ and refs/ folders. dfd/name: the folder to test.
 */
static int is_git_dir(int dfd, const char *name)
{
	char objects[320];
	struct stat st;
	int fd, yes;

	/* Most folders are none: one stat says so without opening them. */
	if ((size_t)snprintf(objects, sizeof(objects), "%s/objects", name) <
		    sizeof(objects) &&
	    (fstatat(dfd, objects, &st, 0) || !S_ISDIR(st.st_mode)))
		return 0;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	yes = !fstatat(fd, "objects", &st, 0) && S_ISDIR(st.st_mode) &&
	      !fstatat(fd, "refs", &st, 0) && S_ISDIR(st.st_mode) &&
	      valid_head(fd);
	close(fd);
	return yes;
}

/* Hands a git directory to the caller, or says it was not scanned. */
static int met_git_dir(struct walk *w, const char *full, const char *display)
{
	if (w->opts->git_dir)
		return w->opts->git_dir(w->opts->git_ctx, full, display);
	report(w, PROBLEM_ERROR,
	       "'%s' is a git folder: its history was not scanned", display);
	return 0;
}

/* Walks one folder, queueing its files and stacking its sub-folders. */
static int walk_one(struct walk *w, struct dir_stack *st,
		    const struct pending_dir *d)
{
	struct dirent *e;
	DIR *dir;
	int fd, git, err;

	fd = open(d->full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		report(w, PROBLEM_UNREADABLE, "cannot open '%s': %s",
		       *d->display ? d->display : d->full, strerror(errno));
		return 0;
	}
	while ((e = readdir(dir))) {
		unsigned char type = e->d_type;
		char *full, *display;
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (type == DT_UNKNOWN) {
			if (fstatat(dirfd(dir), e->d_name, &sb,
				    AT_SYMLINK_NOFOLLOW))
				continue;
			type = S_ISDIR(sb.st_mode)   ? DT_DIR
			       : S_ISREG(sb.st_mode) ? DT_REG
						     : DT_UNKNOWN;
		}
		/* A work tree's repository: history is nfguard git's job. */
		if (type == DT_DIR && !strcmp(e->d_name, ".git") &&
		    !w->opts->git_folder) {
			pthread_mutex_lock(&w->lock);
			w->totals.git_dirs_skipped++;
			pthread_mutex_unlock(&w->lock);
			continue;
		}
		if (type != DT_DIR && type != DT_REG)
			continue; /* links, sockets, devices, FIFOs */
		/* Compressed objects (git) or history's files (LFS). */
		if (type == DT_DIR && (d->git || d->lfs) &&
		    !strcmp(e->d_name, "objects"))
			continue;
		if (type == DT_DIR && w->opts->git_folder &&
		    w->opts->skip_set &&
		    !fstatat(dirfd(dir), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) &&
		    (uint64_t)sb.st_dev == w->opts->skip_dev &&
		    (uint64_t)sb.st_ino == w->opts->skip_ino)
			continue;
		if ((w->opts->nexcludes || w->opts->nanchored) &&
		    exclude_entry(w, d->display, d->root, e->d_name,
				  type == DT_DIR))
			continue;
		git = type == DT_DIR && is_git_dir(dirfd(dir), e->d_name);
		full = join(d->full, e->d_name);
		display = join(d->display, e->d_name);
		/*
		 * A git directory goes to the caller, whose history scan
		 * reads its files too (config, logs, hooks: where pasted
		 * tokens live); without one, they are walked here.
		 */
		if (git && !w->opts->git_folder && full && display) {
			err = met_git_dir(w, full, display);
			if (err || w->opts->git_dir) {
				free(full);
				free(display);
				if (!err)
					continue;
				closedir(dir);
				return err;
			}
		}
		if (type == DT_DIR) {
			if (push_dir(st, full, display, git,
				     d->git && !strcmp(e->d_name, "lfs"))) {
				closedir(dir);
				return NFG_ENOMEM;
			}
		} else if (full && display) {
			enqueue(w, full, display);
		} else {
			free(full);
			free(display);
			closedir(dir);
			return error_nomem();
		}
	}
	closedir(dir);
	return 0;
}

/* Strips trailing slashes (keeping a lone "/") into a new string. */
static char *normalize_target(const char *t)
{
	size_t n = strlen(t);
	char *out;

	while (n > 1 && t[n - 1] == '/')
		n--;
	out = malloc(n + 1);
	if (out) {
		memcpy(out, t, n);
		out[n] = '\0';
	}
	return out;
}

/*
 * Where to open a target: the target itself, or, when the user named a
 * symbolic link, what it resolves to (the walk opens everything with
 * O_NOFOLLOW, and links inside the tree are never followed).
 */
static char *target_full(const char *norm)
{
	struct stat lsb;

	if (!lstat(norm, &lsb) && S_ISLNK(lsb.st_mode))
		return realpath(norm, NULL);
	return strdup(norm);
}

/*
 * A target inside a git directory's objects/ (a loose object, a pack, the
 * folder itself): its bytes are compressed. Returns the git directory's
 * absolute path (caller frees), or NULL.
 */
static char *objects_owner(const char *target)
{
	char *abs = realpath(target, NULL), *slash, *end;

	while (abs && (slash = strrchr(abs, '/')) && slash != abs) {
		if (!strcmp(slash + 1, "objects")) {
			*slash = '\0';
			if (is_git_dir(AT_FDCWD, abs))
				return abs;
			*slash = '/';
		}
		end = slash;
		*end = '\0';
	}
	free(abs);
	return NULL;
}

/*
 * Before a target is walked: a folder's excludes are set up for the
 * paths below it; a file target is matched itself (its path as given,
 * and below the anchor), 1 when it is left out. norm: the target as
 * named, full: where to open it.
 */
static int exclude_target(struct walk *w, const char *norm, const char *full,
			  int is_dir, int relative)
{
	const struct dir_opts *o = w->opts;
	const char *rel = norm, *glob = NULL;
	size_t i;
	int anchored = 0;

	w->below_anchor = w->above_anchor = NULL;
	if (!o->nexcludes && !o->nanchored)
		return 0;
	/* Unresolved: the anchored globs cannot tell, the others still do. */
	w->target_real = o->nanchored ? realpath(full, NULL) : NULL;
	if (is_dir) {
		w->rel_off = relative || !strcmp(norm, ".")  ? 0
			     : norm[strlen(norm) - 1] == '/' ? strlen(norm)
							     : strlen(norm) + 1;
		if (w->target_real &&
		    !(w->below_anchor = below(o->anchor, w->target_real)))
			w->above_anchor = below(w->target_real, o->anchor);
		return 0;
	}
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	for (i = 0; i < o->nexcludes && !glob; i++)
		if (glob_match(o->excludes[i], rel))
			glob = o->excludes[i];
	rel = w->target_real ? below(o->anchor, w->target_real) : NULL;
	for (i = 0; rel && i < o->nanchored && !glob; i++)
		if (glob_match(o->anchored[i], rel)) {
			glob = o->anchored[i];
			anchored = 1;
		}
	free(w->target_real);
	w->target_real = NULL;
	if (glob)
		skipped(w, DIR_SKIP_EXCLUDED, norm, glob, anchored, 0);
	return glob != NULL;
}

static int walk_target(struct walk *w, const char *target, int relative)
{
	struct dir_stack st = {NULL, 0, 0};
	char *norm = normalize_target(target), *full, *owner;
	struct stat sb;
	int git, err = 0;

	if (!norm)
		return error_nomem();
	if (stat(norm, &sb)) {
		report(w, PROBLEM_ERROR, "'%s': %s", target, strerror(errno));
		free(norm);
		return 0;
	}
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
		report(w, PROBLEM_ERROR, "'%s': not a regular file or folder",
		       target);
		free(norm);
		return 0;
	}
	full = target_full(norm);
	if (!full) {
		report(w, PROBLEM_ERROR, "'%s': %s", target, strerror(errno));
		free(norm);
		return 0;
	}
	/*
	 * A git directory named as a target keeps the name it was given; it
	 * goes to the caller as one met in a walk does. With git_folder, the
	 * target is one whatever git's test says, walked as files.
	 */
	git = S_ISDIR(sb.st_mode) &&
	      (w->opts->git_folder || is_git_dir(AT_FDCWD, full));
	if (git && !w->opts->git_folder &&
	    ((err = met_git_dir(w, full, norm)) || w->opts->git_dir)) {
		free(full);
		free(norm);
		return err;
	}
	if ((owner = objects_owner(full))) {
		report(w, PROBLEM_ERROR,
		       "'%s' holds objects of the git folder '%s': name that "
		       "folder to scan its history",
		       target, owner);
		free(owner);
		free(full);
		free(norm);
		return 0;
	}
	if (exclude_target(w, norm, full, S_ISDIR(sb.st_mode), relative)) {
		free(full);
		free(norm);
		return 0;
	}
	if (S_ISREG(sb.st_mode)) {
		enqueue(w, full, norm);
		return 0;
	}
	err = push_dir(&st, full, relative ? strdup("") : norm, git, 0);
	if (!err)
		st.v[0].root = 1;
	if (relative)
		free(norm);
	while (!err && st.n) {
		struct pending_dir d = st.v[--st.n];

		err = walk_one(w, &st, &d);
		free(d.full);
		free(d.display);
	}
	while (st.n) {
		st.n--;
		free(st.v[st.n].full);
		free(st.v[st.n].display);
	}
	free(st.v);
	free(w->target_real);
	w->target_real = NULL;
	return err;
}

/* One target by its real path, for covered_targets. */
struct real_target {
	char *real; /* NULL: cannot be resolved (the walk reports why) */
	size_t i;
	int walked_dir; /* a folder whose files the walk reads */
};

static int by_real(const void *a, const void *b)
{
	const struct real_target *x = a, *y = b;
	int c = strcmp(x->real ? x->real : "", y->real ? y->real : "");

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/*
 * 1 when the walk of folder dir reaches path: path is below it and no
 * folder on the way is one the walk skips (".git").
 */
static int reaches(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	const char *p;

	if (strncmp(path, dir, n) || path[n] != '/')
		return 0;
	for (p = path + n; p; p = strchr(p + 1, '/'))
		if (!strncmp(p, "/.git", 5) && (p[5] == '/' || !p[5]))
			return 0;
	return 1;
}

/*
 * Marks in skip[] the targets another one already covers, so that a file
 * named twice, or named and inside a named folder, is scanned and
 * reported once: the same real path as an earlier target, or a path the
 * walk of a named folder reaches. A git folder's history scan covers
 * nothing (its files are not walked). 0 or NFG_ENOMEM.
 */
static int covered_targets(const struct dir_opts *opts, char *skip)
{
	struct real_target *t;
	struct stat sb;
	size_t i, j, n = opts->ntargets;

	if (n < 2)
		return 0;
	if (!(t = calloc(n, sizeof(*t))))
		return error_nomem();
	for (i = 0; i < n; i++) {
		t[i].i = i;
		t[i].real = realpath(opts->targets[i], NULL);
		t[i].walked_dir =
			t[i].real && !stat(t[i].real, &sb) &&
			S_ISDIR(sb.st_mode) &&
			(opts->git_folder || !is_git_dir(AT_FDCWD, t[i].real));
	}
	qsort(t, n, sizeof(*t), by_real);
	for (i = 1; i < n; i++)
		if (t[i].real && t[i - 1].real &&
		    !strcmp(t[i].real, t[i - 1].real))
			skip[t[i].i] = 1;
	for (j = 0; j < n; j++) {
		if (!t[j].walked_dir || skip[t[j].i])
			continue;
		for (i = 0; i < n; i++)
			if (t[i].real && reaches(t[j].real, t[i].real))
				skip[t[i].i] = 1;
	}
	for (i = 0; i < n; i++)
		free(t[i].real);
	free(t);
	return 0;
}

int source_dir_scan(const struct source_ctx *ctx, const struct dir_opts *opts)
{
	struct findings *out = ctx->out;
	struct scan_totals *totals = ctx->totals;
	struct walk *w;
	pthread_t *threads;
	unsigned i, started = 0;
	struct stat sb;
	char *skip = NULL;
	int relative, err = 0;

	w = calloc(1, sizeof(*w));
	threads = calloc(opts->jobs, sizeof(*threads));
	if (!w || !threads) {
		free(w);
		free(threads);
		return error_nomem();
	}
	w->rs = ctx->rs;
	w->decode = ctx->decode;
	w->problem = ctx->problem;
	w->pctx = ctx->pctx;
	w->opts = opts;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->not_empty, NULL);
	pthread_cond_init(&w->not_full, NULL);
	findings_init(&w->found);
	buf_init(&w->rel, BUF_DEFAULT_MAX);
	buf_init(&w->anchored, BUF_DEFAULT_MAX);
	for (i = 0; i < opts->jobs; i++)
		if (!pthread_create(&threads[i], NULL, worker, w))
			started++;
		else
			break;
	if (!started) {
		err = error_set(NFG_ERR, "cannot start a scanning thread");
		goto done;
	}
	/* One folder target: paths are relative to it (the scan root). */
	relative = opts->ntargets == 1 && !stat(opts->targets[0], &sb) &&
		   S_ISDIR(sb.st_mode);
	if (!(skip = calloc(opts->ntargets, 1)) || covered_targets(opts, skip))
		err = error_nomem();
	for (i = 0; !err && i < opts->ntargets; i++)
		if (!skip[i])
			err = walk_target(w, opts->targets[i], relative);
	free(skip);
	pthread_mutex_lock(&w->lock);
	w->done = 1;
	pthread_cond_broadcast(&w->not_empty);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (!err && w->failed)
		err = error_nomem();
	findings_sort(&w->found);
	if (!err)
		err = findings_merge(out, &w->found);
done:
	scan_totals_add(totals, &w->totals);
	findings_release(&w->found);
	buf_release(&w->rel);
	buf_release(&w->anchored);
	pthread_cond_destroy(&w->not_full);
	pthread_cond_destroy(&w->not_empty);
	pthread_mutex_destroy(&w->lock);
	free(threads);
	free(w);
	return err;
}
