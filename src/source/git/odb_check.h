/*
 * Object ids checked where libgit2 reads objects: the read functions of a
 * repository's loose-object backends (and, when asked, of its pack
 * backends) are wrapped so that every object libgit2 hands nfguard, by
 * whatever call, hashes to the id it was asked for. A mismatch fails the
 * read; the caller claims it to report the object as corrupt.
 *
 * Ownership: nothing is allocated but what the caller's buffers hold.
 */
#ifndef NFG_SOURCE_GIT_ODB_CHECK_H
#define NFG_SOURCE_GIT_ODB_CHECK_H

#include <git2.h>

#include "util/buf.h"

/*
 * Wraps the read functions of repo's object database backends: those of
 * loose objects always, those of packs too when packs is set. Call it
 * once the database is complete (after gs_link_alternates): backends
 * added later are not checked. Calling it again changes nothing. 0, or
 * NFG_EIO (error set) when the database cannot be opened or libgit2's
 * backends cannot be told apart.
 */
int gs_odb_check(git_repository *repo, int packs);

/*
 * When libgit2's last error on this thread is a failed check (and was
 * not claimed yet): claims it and returns 1, with *id the object and why
 * (reset first) the reason, naming where the object lies relative to the
 * common git folder of repo: "hash mismatch in 'objects/ab/cd...'" or
 * "hash mismatch in 'objects/pack/pack-....pack'". Else 0. NFG_ENOMEM.
 */
int gs_odb_corrupt(git_repository *repo, git_oid *id, struct buf *why);

#endif
