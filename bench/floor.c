/* bench/floor.c — the benchmark floor: read a data set's CSV files and only
 * split them into records and fields.
 *
 *   qt_bench_floor DIR|FILE...
 *
 * For a directory, every regular file whose name ends in ".csv" is read (in
 * name order).  The scanner is RFC 4180 aware (quoted fields, doubled
 * quotes, newlines inside quotes, LF and CRLF line ends, blank lines
 * skipped) but does nothing with a field: no allocation, no copy, no
 * conversion.  It streams each file through one fixed buffer with read(2),
 * single-threaded, and prints per file the records (header included),
 * fields and bytes.  Whatever quotient does beyond this is the cost of
 * understanding the data; this is the cost of merely looking at it.
 *
 * libc only.  Exit 0, or 1 when a file cannot be read; fields that break
 * the quoting rules (`"a"b`, an unterminated quote) are counted as
 * "quote errors" and do not stop the scan. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUF_SIZE (1u << 20)

typedef struct {
  uint64_t records, fields, bytes, quote_errors;
} Counts;

/* Scanner states, kept across buffer boundaries. */
enum {
  S_RECORD,  /* at the start of a line: a blank line is skipped */
  S_FIELD,   /* at the start of a field */
  S_PLAIN,   /* inside an unquoted field */
  S_QUOTED,  /* inside a quoted field */
  S_QUOTE,   /* a quote inside a quoted field: end, or the first of a pair */
};

/* Bytes that end a run of plain field text. */
static unsigned char plain_stop[256];

static int
scan_file (const char *path, Counts *c)
{
  static char buf[BUF_SIZE];
  int fd = open (path, O_RDONLY);
  if (fd < 0) {
    fprintf (stderr, "qt_bench_floor: %s: %s\n", path, strerror (errno));
    return -1;
  }
  int st = S_RECORD;
  for (;;) {
    ssize_t n = read (fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      fprintf (stderr, "qt_bench_floor: %s: %s\n", path, strerror (errno));
      close (fd);
      return -1;
    }
    if (n == 0)
      break;
    c->bytes += (uint64_t) n;
    const unsigned char *p = (const unsigned char *) buf, *end = p + n;
    while (p < end) {
      switch (st) {
      case S_RECORD:
        if (*p == '\n' || *p == '\r') {  /* blank line (or the CR of CRLF) */
          p++;
          break;
        }
        c->records++;
        c->fields++;
        st = S_FIELD;
        break;
      case S_FIELD:
        if (*p == '"') {
          p++;
          st = S_QUOTED;
          break;
        }
        st = S_PLAIN;
        /* fall through */
      case S_PLAIN:
        while (p < end && !plain_stop[*p])
          p++;
        if (p == end)
          break;
        if (*p == ',') {
          c->fields++;
          st = S_FIELD;
        } else if (*p == '\n') {
          st = S_RECORD;
        } /* '\r': part of CRLF, the '\n' ends the record */
        p++;
        break;
      case S_QUOTED: {
        const unsigned char *q = memchr (p, '"', (size_t) (end - p));
        if (!q) {
          p = end;
          break;
        }
        p = q + 1;
        st = S_QUOTE;
        break;
      }
      case S_QUOTE:
        if (*p == '"') {  /* doubled quote: a literal quote */
          st = S_QUOTED;
        } else if (*p == ',') {
          c->fields++;
          st = S_FIELD;
        } else if (*p == '\n') {
          st = S_RECORD;
        } else if (*p != '\r') {  /* "a"b */
          c->quote_errors++;
          st = S_PLAIN;
        }
        p++;
        break;
      }
    }
  }
  if (st == S_QUOTED)
    c->quote_errors++;  /* unterminated quote at the end of the file */
  close (fd);
  return 0;
}

static int
ends_with_csv (const char *name)
{
  size_t n = strlen (name);
  return n > 4 && strcmp (name + n - 4, ".csv") == 0;
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
print_row (const char *name, const Counts *c)
{
  printf ("%-20s %12" PRIu64 " %14" PRIu64 " %14" PRIu64 "%s\n", name, c->records, c->fields,
          c->bytes, c->quote_errors ? "  (quote errors)" : "");
}

static int
scan_one (const char *path, const char *label, Counts *total)
{
  Counts c = {0, 0, 0, 0};
  if (scan_file (path, &c) != 0)
    return -1;
  print_row (label, &c);
  total->records += c.records;
  total->fields += c.fields;
  total->bytes += c.bytes;
  total->quote_errors += c.quote_errors;
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0) {
    fprintf (argc < 2 ? stderr : stdout,
             "Usage: qt_bench_floor DIR|FILE...\n"
             "Splits every *.csv file of DIR (or the FILEs) into records and fields\n"
             "(RFC 4180) and prints records (header included), fields and bytes.\n");
    return argc < 2 ? 2 : 0;
  }
  plain_stop[(unsigned char) ','] = 1;
  plain_stop[(unsigned char) '\n'] = 1;
  plain_stop[(unsigned char) '\r'] = 1;
  Counts total = {0, 0, 0, 0};
  int rc = 0;
  printf ("%-20s %12s %14s %14s\n", "file", "records", "fields", "bytes");
  for (int a = 1; a < argc; a++) {
    struct stat sb;
    if (stat (argv[a], &sb) != 0) {
      fprintf (stderr, "qt_bench_floor: %s: %s\n", argv[a], strerror (errno));
      rc = 1;
      continue;
    }
    if (!S_ISDIR (sb.st_mode)) {
      const char *slash = strrchr (argv[a], '/');
      if (scan_one (argv[a], slash ? slash + 1 : argv[a], &total) != 0)
        rc = 1;
      continue;
    }
    DIR *d = opendir (argv[a]);
    if (!d) {
      fprintf (stderr, "qt_bench_floor: %s: %s\n", argv[a], strerror (errno));
      rc = 1;
      continue;
    }
    char *names[256];
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir (d)) && nn < 256)
      if (ends_with_csv (e->d_name))
        names[nn++] = strdup (e->d_name);
    closedir (d);
    qsort (names, nn, sizeof names[0], cmp_str);
    for (size_t i = 0; i < nn; i++) {
      size_t len = strlen (argv[a]) + strlen (names[i]) + 2;
      char *path = malloc (len);
      snprintf (path, len, "%s/%s", argv[a], names[i]);
      if (stat (path, &sb) == 0 && S_ISREG (sb.st_mode) && scan_one (path, names[i], &total) != 0)
        rc = 1;
      free (path);
      free (names[i]);
    }
  }
  print_row ("total", &total);
  return rc;
}
