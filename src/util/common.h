/*
 * The first include of every nfguard source file: feature macros, the
 * standard headers nearly every file needs, and the banned-function list.
 */
#ifndef NFG_UTIL_COMMON_H
#define NFG_UTIL_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFG_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "util/banned.h"

#endif
