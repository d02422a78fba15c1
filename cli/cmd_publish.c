/* cli/cmd_publish.c — not implemented yet. */
#include <stdio.h>

#include "commands.h"

int
qt_cmd_publish (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  fprintf (stderr, "quotient: not implemented yet\n");
  return 2;
}
