/* cli/commands.h — one function per subcommand; each returns the exit code. */
#pragma once

#include <glib.h>

int qt_cmd_run (int argc, char **argv);
int qt_cmd_verify (int argc, char **argv);

/* The one map from an error to the exit code of SPEC §10: 1 for exceptions
 * under --strict and verification mismatches, else 2. */
int qt_exit_code_for (const GError *error);

/* Prints an error to stderr: input errors as `file:line:column: message`
 * alone (SPEC §7), usage errors prefixed by the command. */
void qt_print_error (const char *command, const GError *error);
