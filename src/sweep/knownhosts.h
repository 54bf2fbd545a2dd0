/*
 * The @revoked lines of an OpenSSH known_hosts file, read on a memory
 * buffer. libgit2 1.5.1 checks an ssh host key against known_hosts with
 * libssh2, which does not read the markers: a revoked key that another
 * line lists would pass, so nfguard refuses it itself.
 *
 * Ownership: nothing returned is allocated. Never prints.
 */
#ifndef NFG_SWEEP_KNOWNHOSTS_H
#define NFG_SWEEP_KNOWNHOSTS_H

#include <stddef.h>

/* The largest known_hosts file read, in bytes. */
#define KNOWNHOSTS_MAX_SIZE ((size_t)4 << 20)

/*
 * 1 when a line of data[0..len) ("\n" or "\r\n" ended) is "@revoked
 * HOSTS TYPE BASE64 [COMMENT]" and BASE64 is key[0..keylen) (the host
 * key blob the server sent), whatever HOSTS says: stricter than OpenSSH,
 * which revokes the key for those hosts only. 0 when no line is; lines
 * that are not that shape are skipped. NFG_ENOMEM.
 */
int knownhosts_revoked(const char *data, size_t len, const unsigned char *key,
		       size_t keylen);

#endif
