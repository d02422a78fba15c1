/* bench/memlat.c — how this machine's memory answers random reads as the
 * working set grows: the cost a program pays per cache line it reads at
 * random, over a block of a given size.
 *
 *   qt_bench_memlat MB...
 *
 * For each size the block is split into 64-byte lines, filled (so every
 * page is backed before timing), and read two ways:
 *   dependent    a chase through one random cycle over all lines: each read
 *                needs the one before (latency: a lookup chain, a pointer
 *                walk);
 *   independent  lines picked by a generator that reads nothing: the CPU
 *                keeps many misses in flight (throughput: what prefetching
 *                code sees).
 * Prints one line per size: MB, ns per dependent read, ns per independent
 * read.  On a machine whose translation and cache costs do not grow with
 * the working set, both columns stay flat past the last-level cache; a
 * program that does twice the random reads over twice the memory then
 * takes twice the time, and no more.
 *
 * libc only.  Exit 0, or 2 on a bad argument, 1 when memory runs out. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE 64
#define READS 8000000u

typedef struct {
  uint64_t next;                 /* index of the next line of the cycle */
  uint64_t pad[LINE / 8 - 1];
} Line;

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + (double) t.tv_nsec * 1e-9;
}

/* xorshift64*: a fixed sequence, the same on every run. */
static uint64_t
rnd (uint64_t *s)
{
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1Du;
}

/* One cycle through all n lines in random order (Sattolo's algorithm on
 * an order array, then linked): a chase visits every line once. */
static int
link_cycle (Line *a, uint64_t n)
{
  uint64_t *order = malloc (n * sizeof *order);
  if (order == NULL)
    return 0;
  for (uint64_t i = 0; i < n; i++)
    order[i] = i;
  uint64_t s = 0x9E3779B97F4A7C15u;
  for (uint64_t i = n - 1; i > 0; i--)
    {
      uint64_t j = rnd (&s) % i;
      uint64_t t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  for (uint64_t i = 0; i < n; i++)
    a[order[i]].next = order[(i + 1) % n];
  free (order);
  return 1;
}

static int
measure (uint64_t mb)
{
  uint64_t n = (mb << 20) / LINE;
  Line *a = malloc (n * sizeof *a);
  if (a == NULL)
    return 0;
  memset (a, 0, n * sizeof *a);
  if (!link_cycle (a, n))
    {
      free (a);
      return 0;
    }
  uint64_t x = 0;
  for (uint64_t i = 0; i < READS / 8; i++) /* warm the translation caches */
    x = a[x].next;
  double t0 = now ();
  for (uint64_t i = 0; i < READS; i++)
    x = a[x].next;
  double t1 = now ();
  uint64_t s = 42, sum = 0;
  for (uint64_t i = 0; i < READS; i++)
    sum += a[rnd (&s) % n].next;
  double t2 = now ();
  printf ("%" PRIu64 " %.1f %.1f\n", mb, (t1 - t0) * 1e9 / READS, (t2 - t1) * 1e9 / READS);
  /* keep the reads: their results feed the exit path */
  if (x == UINT64_MAX && sum == 0)
    printf ("-\n");
  free (a);
  return 1;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: qt_bench_memlat MB...\n");
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      char *end;
      unsigned long long mb = strtoull (argv[i], &end, 10);
      if (*end != '\0' || mb == 0 || mb > (1ull << 20))
        {
          fprintf (stderr, "qt_bench_memlat: '%s' is not a size in MB\n", argv[i]);
          return 2;
        }
      if (!measure (mb))
        {
          fprintf (stderr, "qt_bench_memlat: out of memory at %llu MB\n", mb);
          return 1;
        }
    }
  return 0;
}
