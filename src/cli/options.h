/*
 * The shared option table of the commands: parsing with getopt_long and
 * the option part of the help text, both from one table. Private to cli/.
 */
#ifndef NFG_CLI_OPTIONS_H
#define NFG_CLI_OPTIONS_H

#include <stdio.h>

/* Prints the options of the OPT_* groups in mask (always --help). */
void options_help(FILE *out, unsigned mask);

#endif
