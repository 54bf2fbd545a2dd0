/*
 * nfguard completion bash|zsh|fish: a completion script written from the
 * command table and the option table the help is printed from, so that
 * no second list of commands, options or values can fall out of step.
 * A command's operands are read from its usage line (PATH, COMMAND...).
 */
#include "util/common.h"
#include "util/buf.h"
#include "cli/cmd.h"
#include "cli/msgs.h"
#include "cli/options.h"

#include <ctype.h>

/* What a command's operands are, read from its usage line. */
struct operands {
	int files;	  /* PATH, REPO, FILE, REPORT */
	int commands;	  /* COMMAND: the command names */
	int shells;	  /* SHELL: the shells below */
	struct buf words; /* literal words ("check"), each and a space */
};

static int write_bash(FILE *out);
static int write_zsh(FILE *out);
static int write_fish(FILE *out);

/* The shells a script is written for. */
static const struct {
	const char *name;
	int (*write)(FILE *out); /* 0, or -1: out of memory */
} shells[] = {{"bash", write_bash}, {"zsh", write_zsh}, {"fish", write_fish}};

/* Whether the option named name (no dashes) takes a value. */
static int option_takes_value(const char *name)
{
	struct opt_view v;
	size_t i;

	for (i = 0; i < options_count(); i++)
		if (options_at(i, ~0u, &v) && !strcmp(v.name, name))
			return v.arg != NULL;
	return 0;
}

/*
 * Reads c's usage line: "rules [--rules PATH] | rules check FILE" has the
 * literal word check and a FILE. A word after an option that takes a
 * value is that value; after "<" comes standard input, not an operand.
 */
static int operands_of(const struct command *c, struct operands *op)
{
	const char *p = c->usage;
	int after_value_option = 0;
	char w[64];

	memset(op, 0, sizeof(*op));
	buf_init(&op->words, 1024);
	while (*p) {
		size_t n = strcspn(p, " []|.");

		if (!n) {
			p++;
			continue;
		}
		snprintf(w, sizeof(w), "%.*s", (int)n, p);
		p += n;
		if (w[0] == '<')
			break;
		if (w[0] == '-') {
			after_value_option =
				w[1] == '-' && option_takes_value(w + 2);
			continue;
		}
		if (after_value_option) {
			after_value_option = 0;
			continue;
		}
		if (!strcmp(w, "COMMAND"))
			op->commands = 1;
		else if (!strcmp(w, "SHELL"))
			op->shells = 1;
		else if (isupper((unsigned char)w[0]))
			op->files = 1;
		else if (strcmp(w, c->name) && strcmp(w, "options"))
			buf_printf(&op->words, "%s ", w);
	}
	return buf_failed(&op->words);
}

/* The value of an option is a path: FILE, PATH or DIR. */
static int arg_is_path(const char *arg)
{
	return arg && (!strcmp(arg, "FILE") || !strcmp(arg, "PATH") ||
		       !strcmp(arg, "DIR"));
}

/*
 * Writes s inside '...' for the shell: 'b' bash, 'f' fish, 'z' a zsh
 * _arguments description ('[...]'), 'd' a zsh _describe entry's.
 */
static void put_quoted(FILE *out, const char *s, int shell)
{
	const char *esc = shell == 'z' ? "[]\\" : shell == 'd' ? ":\\" : "";

	fputs(shell == 'z' ? "'[" : "'", out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs(shell == 'f' ? "\\'" : "'\\''", out);
		else if (*s == '\\' && shell == 'f')
			fputs("\\\\", out);
		else if (strchr(esc, *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
	fputs(shell == 'z' ? "]'" : "'", out);
}

/* The help line of an option as a description: "report format: " ends. */
static void put_help(FILE *out, const char *help, int shell)
{
	char h[256];
	size_t n;

	snprintf(h, sizeof(h), "%s", help);
	n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == ':'))
		h[--n] = '\0';
	put_quoted(out, h, shell);
}

/* The command names, each and a space. */
static void put_commands(FILE *out)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		fprintf(out, "%s ", commands[i].name);
}

static void put_shells(FILE *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shells); i++)
		fprintf(out, "%s ", shells[i].name);
}

/* The words an operand of c may be, each and a space. */
static void put_operand_words(FILE *out, const struct operands *op)
{
	fputs(op->words.ptr, out);
	if (op->commands)
		put_commands(out);
	if (op->shells)
		put_shells(out);
}

/* One option value's words into *vals (reset first): 0 or failure. */
static int values_of(size_t i, struct buf *vals)
{
	buf_reset(vals);
	return options_values(i, vals);
}

/*
 * Calls each(out, command, its operands, a scratch buffer) for every
 * command, in table order. 0, or -1 when a buffer ran out of memory.
 */
static int write_commands(FILE *out,
			  void (*each)(FILE *out, const struct command *c,
				       const struct operands *op,
				       struct buf *vals))
{
	struct operands op;
	struct buf vals;
	size_t i;
	int rc = 0;

	buf_init(&vals, 4096);
	for (i = 0; i < ncommands && !rc; i++) {
		rc = operands_of(&commands[i], &op);
		if (!rc)
			each(out, &commands[i], &op, &vals);
		buf_release(&op.words);
	}
	if (!rc && buf_failed(&vals))
		rc = -1;
	buf_release(&vals);
	return rc ? -1 : 0;
}

/* bash: the function reads COMP_WORDS and COMP_CWORD, fills COMPREPLY. */
static void write_bash_command(FILE *out, const struct command *c,
			       const struct operands *op, struct buf *vals)
{
	struct opt_view v;
	size_t i;

	fprintf(out, "\t%s)\n\t\tcase $prev in\n", c->name);
	for (i = 0; i < options_count(); i++) {
		if (!options_at(i, c->opts, &v) || !v.arg)
			continue;
		fputs("\t\t", out);
		if (v.letter)
			fprintf(out, "-%c | ", v.letter);
		fprintf(out, "--%s) ", v.name);
		if (values_of(i, vals) == 0 && vals->len)
			fprintf(out, "_nfguard_words '%s'; ", vals->ptr);
		else if (arg_is_path(v.arg))
			fprintf(out, "_nfguard_files %s; ",
				!strcmp(v.arg, "DIR") ? "-d" : "-f");
		fputs("return ;;\n", out);
	}
	fputs("\t\tesac\n\t\topts='", out);
	for (i = 0; i < options_count(); i++) {
		if (!options_at(i, c->opts, &v))
			continue;
		if (v.letter)
			fprintf(out, "-%c ", v.letter);
		fprintf(out, "--%s ", v.name);
	}
	fputs("'\n\t\twords='", out);
	put_operand_words(out, op);
	fprintf(out, "'\n\t\tfiles=%d\n\t\t;;\n", op->files);
}

static int write_bash(FILE *out)
{
	fputs("# bash completion for nfguard (nfguard completion bash)\n"
	      "_nfguard_words() {\n"
	      "\tmapfile -t COMPREPLY < <(compgen -W \"$1\" -- \"$cur\")\n"
	      "}\n"
	      "_nfguard_files() {\n"
	      "\tcompopt -o filenames 2>/dev/null\n"
	      "\tmapfile -t -O \"${#COMPREPLY[@]}\" COMPREPLY < <(compgen "
	      "\"$1\" -- \"$cur\")\n"
	      "}\n"
	      "_nfguard() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	      "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tlocal opts='' words='' files=0\n"
	      "\tCOMPREPLY=()\n"
	      "\t# --format=json: bash splits the word at '='.\n"
	      "\tif [ \"$cur\" = = ]; then\n"
	      "\t\tcur=\n"
	      "\telif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -ge 3 ]; then\n"
	      "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
	      "\tfi\n"
	      "\tif [ \"$COMP_CWORD\" -le 1 ]; then\n"
	      "\t\t_nfguard_words '",
	      out);
	put_commands(out);
	fputs("--version --help'\n\t\treturn\n\tfi\n\tcase ${COMP_WORDS[1]} "
	      "in\n",
	      out);
	if (write_commands(out, write_bash_command))
		return -1;
	fputs("\t*)\n\t\treturn\n\t\t;;\n\tesac\n"
	      "\tcase $cur in\n\t-*)\n\t\t_nfguard_words \"$opts\"\n"
	      "\t\treturn\n\t\t;;\n\tesac\n"
	      "\t_nfguard_words \"$words\"\n"
	      "\tif [ \"$files\" = 1 ]; then\n\t\t_nfguard_files -f\n\tfi\n"
	      "}\n"
	      "complete -F _nfguard nfguard\n",
	      out);
	return 0;
}

/* zsh: one _arguments call per command, after the command word. */
static void write_zsh_command(FILE *out, const struct command *c,
			      const struct operands *op, struct buf *vals)
{
	struct opt_view v;
	size_t i;

	fprintf(out, "\t%s)\n\t\t_arguments -s -S", c->name);
	for (i = 0; i < options_count(); i++) {
		if (!options_at(i, c->opts, &v))
			continue;
		fputs(" \\\n\t\t\t", out);
		if (v.letter)
			fprintf(out, "'(-%c --%s)'{-%c%s,--%s%s}", v.letter,
				v.name, v.letter, v.arg ? "+" : "", v.name,
				v.arg ? "=" : "");
		else
			fprintf(out, "'--%s%s'", v.name, v.arg ? "=" : "");
		put_help(out, v.help, 'z');
		if (!v.arg)
			continue;
		fprintf(out, "':%s:", v.arg);
		if (values_of(i, vals) == 0 && vals->len)
			fprintf(out, "(%s)'", vals->ptr);
		else if (arg_is_path(v.arg))
			fputs(!strcmp(v.arg, "DIR") ? "_files -/'" : "_files'",
			      out);
		else
			fputs(" '", out);
	}
	if (op->words.len || op->commands || op->shells) {
		fputs(" \\\n\t\t\t'*:argument:_alternative \"words:word:(",
		      out);
		put_operand_words(out, op);
		fprintf(out, ")\"%s'",
			op->files ? " \"files:file:_files\"" : "");
	} else if (op->files) {
		fputs(" \\\n\t\t\t'*:file:_files'", out);
	}
	fputs("\n\t\t;;\n", out);
}

static int write_zsh(FILE *out)
{
	size_t i;

	fputs("#compdef nfguard\n"
	      "# zsh completion for nfguard (nfguard completion zsh)\n"
	      "_nfguard() {\n"
	      "\tlocal -a cmds\n"
	      "\tcmds=(\n",
	      out);
	for (i = 0; i < ncommands; i++) {
		/* _describe splits at the first ':' not escaped. */
		fprintf(out, "\t\t%s:", commands[i].name);
		put_quoted(out, commands[i].summary, 'd');
		fputc('\n', out);
	}
	fputs("\t)\n"
	      "\tif (( CURRENT == 2 )); then\n"
	      "\t\t_describe -t commands 'nfguard command' cmds\n"
	      "\t\t_arguments '--version[print the version]' '--help[show "
	      "help]'\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tlocal cmd=$words[2]\n"
	      "\tshift words\n"
	      "\t(( CURRENT-- ))\n"
	      "\tcase $cmd in\n",
	      out);
	if (write_commands(out, write_zsh_command))
		return -1;
	fputs("\tesac\n"
	      "}\n"
	      "if [ \"$funcstack[1]\" = _nfguard ]; then\n"
	      "\t_nfguard \"$@\"\n"
	      "else\n"
	      "\tcompdef _nfguard nfguard\n"
	      "fi\n",
	      out);
	return 0;
}

/* fish: one complete line per command, option and operand kind. */
static void write_fish_command(FILE *out, const struct command *c,
			       const struct operands *op, struct buf *vals)
{
	struct opt_view v;
	size_t i;

	fputs("complete -c nfguard -n __nfguard_no_command -a ", out);
	put_quoted(out, c->name, 'f');
	fputs(" -d ", out);
	put_quoted(out, c->summary, 'f');
	fputc('\n', out);
	for (i = 0; i < options_count(); i++) {
		if (!options_at(i, c->opts, &v))
			continue;
		fprintf(out, "complete -c nfguard -n '__nfguard_command %s'",
			c->name);
		if (v.letter)
			fprintf(out, " -s %c", v.letter);
		fprintf(out, " -l %s", v.name);
		if (v.arg && values_of(i, vals) == 0 && vals->len)
			fprintf(out, " -x -a '%s'", vals->ptr);
		else if (v.arg && !strcmp(v.arg, "DIR"))
			fputs(" -x -a '(__fish_complete_directories)'", out);
		else if (arg_is_path(v.arg))
			fputs(" -r -F", out);
		else if (v.arg)
			fputs(" -x", out);
		fputs(" -d ", out);
		put_help(out, v.help, 'f');
		fputc('\n', out);
	}
	if (op->words.len || op->commands || op->shells) {
		fprintf(out,
			"complete -c nfguard -n '__nfguard_command %s' -a '",
			c->name);
		put_operand_words(out, op);
		fputs("'\n", out);
	}
	if (op->files)
		fprintf(out,
			"complete -c nfguard -n '__nfguard_command %s' -F\n",
			c->name);
}

static int write_fish(FILE *out)
{
	fputs("# fish completion for nfguard (nfguard completion fish)\n"
	      "function __nfguard_no_command\n"
	      "\ttest (count (commandline -opc)) -eq 1\n"
	      "end\n"
	      "function __nfguard_command\n"
	      "\tset -l words (commandline -opc)\n"
	      "\ttest (count $words) -ge 2; and test \"$words[2]\" = "
	      "\"$argv[1]\"\n"
	      "end\n"
	      "complete -c nfguard -f\n"
	      "complete -c nfguard -n __nfguard_no_command -l version -d "
	      "'print the version'\n"
	      "complete -c nfguard -n __nfguard_no_command -l help -d 'show "
	      "help'\n",
	      out);
	return write_commands(out, write_fish_command);
}

int cmd_completion(const struct command *self, int argc, char **argv)
{
	struct cli_opts o;
	int first, rc;
	size_t i;

	if ((rc = cli_parse(self, argc, argv, &o, &first)) != CLI_CONTINUE)
		return rc;
	if (argc - first != 1) {
		cli_error("completion needs one shell: bash, zsh or fish (try "
			  "'nfguard help completion')");
		return EXIT_ERROR;
	}
	for (i = 0; i < ARRAY_SIZE(shells); i++)
		if (!strcmp(argv[first], shells[i].name))
			break;
	if (i == ARRAY_SIZE(shells)) {
		cli_error("completion: '%s' is not bash, zsh or fish",
			  argv[first]);
		return EXIT_ERROR;
	}
	if (shells[i].write(stdout)) {
		cli_error("completion: out of memory");
		return EXIT_ERROR;
	}
	return fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_CLEAN;
}
