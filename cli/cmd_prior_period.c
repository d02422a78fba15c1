/* cli/cmd_prior_period.c — not implemented yet. */
#include <stdio.h>

#include "commands.h"

int
qt_cmd_prior_period (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  fprintf (stderr, "quotient: not implemented yet\n");
  return 2;
}
