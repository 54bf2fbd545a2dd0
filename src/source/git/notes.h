/*
 * Notes: a notes ref's tree names each note by the id of the object it
 * annotates, fanned out into folders when there are many ("2d/1839…").
 * A note is reported at that id, however the tree spells it. No libgit2:
 * the unit tests reach it on plain strings.
 */
#ifndef NFG_SOURCE_GIT_NOTES_H
#define NFG_SOURCE_GIT_NOTES_H

/*
 * Rewrites, in place, a path of a notes tree spelled with fan-out
 * folders (two hex digits each, 40 hex digits in all: "2d/1839…",
 * "2d/18/39…") as the 40-digit id it stands for. Returns 1 when it did,
 * 0 when path is left as it is: already an id, or not a note (a notes
 * tree may hold other files).
 */
int notes_unfan(char *path);

#endif
