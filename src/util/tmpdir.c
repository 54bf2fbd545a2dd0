/*
 * Temporary folders registered in fixed slots that a signal handler can
 * read, and a removal of a folder tree that neither recurses nor
 * allocates: it walks down to a folder without subfolders, emptying the
 * folders on its way, removes that one and starts again from the top.
 */
#include "util/common.h"
#include "util/error.h"
#include "util/tmpdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct slot {
	volatile sig_atomic_t used;
	char path[TMPDIR_PATH_MAX];
};

static struct slot slots[TMPDIR_SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* Descents before the removal gives up (a folder it cannot remove). */
#define REMOVE_STEPS 1000000

/*
 * Unlinks every entry of the folder fd that is not a folder and copies
 * the name of one that is into sub (empty when there is none, or when
 * its name does not fit in room bytes). Async-signal-safe.
 */
static void empty_files(int fd, char *sub, size_t room)
{
	char ents[4096];
	ssize_t n;

	sub[0] = '\0';
	while ((n = getdents64(fd, ents, sizeof(ents))) > 0) {
		ssize_t at = 0;

		while (at < n) {
			struct dirent64 *d = (struct dirent64 *)(ents + at);
			size_t len = strlen(d->d_name);

			at += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (!unlinkat(fd, d->d_name, 0) || errno != EISDIR)
				continue;
			if (!sub[0] && len < room)
				memcpy(sub, d->d_name, len + 1);
		}
	}
}

/* Removes root and all it holds. Async-signal-safe. */
static void remove_tree(const char *root)
{
	char path[TMPDIR_PATH_MAX + 256];
	size_t rootlen = strlen(root), len;
	long step;

	if (rootlen >= sizeof(path) || !unlink(root))
		return;
	for (step = 0; step < REMOVE_STEPS; step++) {
		memcpy(path, root, rootlen + 1);
		len = rootlen;
		for (;;) {
			int fd = open(path, O_RDONLY | O_DIRECTORY |
						    O_NOFOLLOW | O_CLOEXEC);
			char *sub = path + len + 1;

			if (fd < 0) {
				if (len == rootlen)
					return; /* gone, or never a folder */
				break;
			}
			empty_files(fd, sub, sizeof(path) - len - 1);
			close(fd);
			if (!*sub) {
				path[len] = '\0';
				if (rmdir(path) && errno != ENOTEMPTY)
					return;
				break; /* from the top again */
			}
			path[len] = '/';
			len += 1 + strlen(sub);
		}
		if (len == rootlen && access(root, F_OK))
			return;
	}
}

/* Unregisters path, when registered. */
static void forget(const char *path)
{
	size_t i;

	pthread_mutex_lock(&slots_lock);
	for (i = 0; i < TMPDIR_SLOTS; i++)
		if (slots[i].used && !strcmp(slots[i].path, path)) {
			slots[i].used = 0;
			break;
		}
	pthread_mutex_unlock(&slots_lock);
}

/*
 * Removes path, then unregisters it: a signal in between removes what is
 * left of it.
 */
static void forget_and_remove(const char *path)
{
	remove_tree(path);
	forget(path);
}

int tmpdir_make(const char *base, const char *prefix, char **out)
{
	char path[TMPDIR_PATH_MAX];
	size_t i;
	int n;

	*out = NULL;
	if (!base)
		base = "/tmp";
	n = snprintf(path, sizeof(path), "%s/%s-XXXXXX", base, prefix);
	if (n < 0 || (size_t)n >= sizeof(path))
		return error_set(NFG_ELIMIT,
				 "the temporary folder path is too long");
	if (!mkdtemp(path))
		return error_set_errno(NFG_EIO, errno,
				       "cannot make a temporary folder in '%s'",
				       base);
	pthread_mutex_lock(&slots_lock);
	for (i = 0; i < TMPDIR_SLOTS && slots[i].used; i++)
		;
	if (i < TMPDIR_SLOTS) {
		memcpy(slots[i].path, path, (size_t)n + 1);
		slots[i].used = 1;
	}
	pthread_mutex_unlock(&slots_lock);
	if (i == TMPDIR_SLOTS) {
		rmdir(path);
		return error_set(NFG_ELIMIT,
				 "more than %d temporary folders "
				 "at once",
				 TMPDIR_SLOTS);
	}
	if (!(*out = strdup(path))) {
		forget_and_remove(path);
		return error_nomem();
	}
	return 0;
}

void tmpdir_remove(char *path)
{
	if (path)
		forget_and_remove(path);
	free(path);
}

void tmpdir_keep(char *path)
{
	if (path)
		forget(path);
	free(path);
}

void tmpdir_signal_cleanup(void)
{
	size_t i;

	for (i = 0; i < TMPDIR_SLOTS; i++)
		if (slots[i].used)
			remove_tree(slots[i].path);
}
