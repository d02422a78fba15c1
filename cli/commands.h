/* cli/commands.h — one function per subcommand; each returns the exit code. */
#pragma once

int qt_cmd_run (int argc, char **argv);
int qt_cmd_verify (int argc, char **argv);
