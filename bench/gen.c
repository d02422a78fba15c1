/* bench/gen.c — deterministic synthetic data set for quotient benchmarks.
 *
 *   qt_bench_gen --reps 5000 --orders 1000000 --seed 42 --out DIR
 *
 * writes the CSV files of SPEC §2 into DIR/data and plan versions (SPEC §3)
 * as JSON files into DIR/plans.  Same
 * arguments ⇒ byte-identical files on any machine: one integer PRNG
 * (xoshiro256**), no clock, no floating point anywhere; every amount is an
 * integer number of cents (or quarters of a unit for quantities) printed
 * with integer arithmetic.
 *
 * The story follows fixtures/demo (a medical-device distributor), scaled:
 *
 *   - one director, regional VPs (one per 250 reps), teams of 6–14 (a
 *     manager on plan `lead` and field reps on plan `field`); rep sizes are
 *     skewed (a truncated Pareto, 16:1 between the biggest and the smallest);
 *   - customers (orders / 10) belong to a team's territory, have skewed
 *     weights and re-order all year; some are new in 2026, some lapsed
 *     (ordered in 2025-04/05 only and come back in 2026-06, > 365 days later);
 *   - a catalog of orders / 400 products in five categories, prices and
 *     costs in cents, some exactly on the 0.35 / 0.40 margin boundaries;
 *   - orders in 2025-04 .. 2026-07: a lighter year of history, then four
 *     run months 2026-04 .. 2026-07 (the measured period is 2026-06, the last
 *     month of Q2); 1–8 lines, fractional quantities (litres by halves,
 *     engineer hours by quarters), zero-priced free training days, negative
 *     volume-discount lines, discounted unit prices;
 *   - splits on ~5 % of orders (0.5/0.5 … and long-decimal thirds);
 *   - receipts 0–120 days after signing (instalments 30/70, 30/40/30,
 *     prepayments), deposits refunded on cancelled orders, partial refunds,
 *     zero-amount receipts; the data set is "as of" 2026-07-31;
 *   - activities and quotas (sized from each rep's actual collections),
 *     adjustments (half-cent amounts, reasons with commas and quotes);
 *   - plans: `field` v1 (to 2026-04-30) and v2 (from 2026-05-01, a version
 *     change inside Q2) and `lead` v1 (open-ended, override, retroactive);
 *   - a few planted rows of every business exception kind in every run
 *     month (never malformed input): UNKNOWN_ORDER, UNKNOWN_REP, SPLIT_SUM,
 *     INELIGIBLE_STATUS, NET_NOT_POSITIVE, REFUND_WITHOUT_PAYMENT, NO_QUOTA,
 *     BAD_QUOTA, UNKNOWN_CUSTOMER, UNKNOWN_PRODUCT.  Planted orders are
 *     `OX-nnnnnn`, planted receipts `RX-nnnnnn`, ghosts `*-GHOST-n`.
 *
 * libc + GLib only. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* PRNG: xoshiro256** seeded through splitmix64                             */
/* ------------------------------------------------------------------------ */

typedef struct {
  uint64_t s[4];
} Rng;

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void
rng_seed (Rng *r, uint64_t seed, uint64_t stream)
{
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64 (&x);
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rnext (Rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl (s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, n) (multiply-shift; n < 2^32). */
static inline uint32_t
rbelow (Rng *r, uint32_t n)
{
  return (uint32_t) (((rnext (r) >> 32) * (uint64_t) n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline int
rrange (Rng *r, int lo, int hi)
{
  return lo + (int) rbelow (r, (uint32_t) (hi - lo + 1));
}

/* Per mille: uniform in [0, 1000). */
static inline int
rpm (Rng *r)
{
  return (int) rbelow (r, 1000);
}

/* Index from integer weights. */
static int
rweighted (Rng *r, const int *w, int n)
{
  int tot = 0;
  for (int i = 0; i < n; i++)
    tot += w[i];
  int x = (int) rbelow (r, (uint32_t) tot);
  for (int i = 0; i < n; i++) {
    if (x < w[i])
      return i;
    x -= w[i];
  }
  return n - 1;
}

/* Skewed index in [0, n): product of two uniforms favours low indexes. */
static inline uint32_t
rskew (Rng *r, uint32_t n)
{
  uint64_t a = rbelow (r, n), b = rbelow (r, n);
  return (uint32_t) (a * b / n);
}

/* Index in a cumulative weight array cum[0..n) (cum[n-1] = total). */
static uint32_t
pick_cum (Rng *r, const uint64_t *cum, uint32_t n)
{
  uint64_t x = (rnext (r) >> 11) % cum[n - 1];
  uint32_t lo = 0, hi = n - 1;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (cum[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* ------------------------------------------------------------------------ */
/* Calendar (day numbers from 2024-11-01)                                   */
/* ------------------------------------------------------------------------ */

static int64_t
days_from_civil (int y, unsigned m, unsigned d)
{
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned) (y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t) doe - 719468;
}

#define EPOCH_Y 2024
#define EPOCH_M 11
/* Month index: 0 = 2024-11 … 20 = 2026-07, up to 2026-12. */
#define NMONTHS 26
#define MI(y, m) (((y) - EPOCH_Y) * 12 + (m) - EPOCH_M)

static int month_first[NMONTHS + 1];
static int ndays;
static char (*date_str)[11];   /* "YYYY-MM-DD" per day */
static uint8_t *month_of_day;  /* month index per day */

static int
day_of (int y, int m, int d)
{
  return (int) (days_from_civil (y, (unsigned) m, (unsigned) d)
                - days_from_civil (EPOCH_Y, EPOCH_M, 1));
}

static void
calendar_init (void)
{
  for (int k = 0; k <= NMONTHS; k++) {
    int mm = EPOCH_M - 1 + k;
    month_first[k] = day_of (EPOCH_Y + mm / 12, mm % 12 + 1, 1);
  }
  ndays = month_first[NMONTHS];
  date_str = g_malloc ((gsize) ndays * sizeof *date_str);
  month_of_day = g_new (uint8_t, (gsize) ndays);
  for (int k = 0; k < NMONTHS; k++) {
    int mm = EPOCH_M - 1 + k;
    int y = EPOCH_Y + mm / 12, m = mm % 12 + 1;
    for (int day = month_first[k]; day < month_first[k + 1]; day++) {
      int d = day - month_first[k] + 1;
      char *s = date_str[day];
      s[0] = (char) ('0' + y / 1000);
      s[1] = (char) ('0' + y / 100 % 10);
      s[2] = (char) ('0' + y / 10 % 10);
      s[3] = (char) ('0' + y % 10);
      s[4] = '-';
      s[5] = (char) ('0' + m / 10);
      s[6] = (char) ('0' + m % 10);
      s[7] = '-';
      s[8] = (char) ('0' + d / 10);
      s[9] = (char) ('0' + d % 10);
      s[10] = 0;
      month_of_day[day] = (uint8_t) k;
    }
  }
}

static int
month_days (int k)
{
  return month_first[k + 1] - month_first[k];
}

/* "YYYY-MM" of month index k. */
static void
period_str (int k, char out[8])
{
  memcpy (out, date_str[month_first[k]], 7);
  out[7] = 0;
}

/* ------------------------------------------------------------------------ */
/* Buffered CSV writer with integer formatting                              */
/* ------------------------------------------------------------------------ */

typedef struct {
  FILE *f;
  char *path;
  const char *name;
  char *buf;
  size_t pos, cap;
  uint64_t bytes, rows;
} Out;

static void
die (const char *fmt, const char *arg)
{
  fprintf (stderr, "qt_bench_gen: ");
  fprintf (stderr, fmt, arg);
  fprintf (stderr, "\n");
  exit (1);
}

static void
out_flush (Out *o)
{
  if (o->pos && fwrite (o->buf, 1, o->pos, o->f) != o->pos)
    die ("write error on %s", o->path);
  o->bytes += o->pos;
  o->pos = 0;
}

static inline void
out_reserve (Out *o, size_t n)
{
  if (o->pos + n > o->cap)
    out_flush (o);
}

static void
out_open (Out *o, const char *dir, const char *name)
{
  memset (o, 0, sizeof *o);
  o->path = g_build_filename (dir, name, NULL);
  o->name = name;
  o->f = fopen (o->path, "wb");
  if (!o->f)
    die ("cannot create %s", o->path);
  o->cap = 1 << 20;
  o->buf = g_malloc (o->cap);
}

static void
out_close (Out *o)
{
  out_flush (o);
  if (fclose (o->f) != 0)
    die ("cannot close %s", o->path);
  g_free (o->buf);
  g_free (o->path);
  o->buf = NULL;
  o->path = NULL;
}

static inline void
out_ch (Out *o, char c)
{
  out_reserve (o, 1);
  o->buf[o->pos++] = c;
}

static void
out_mem (Out *o, const char *s, size_t n)
{
  if (n > o->cap / 2) {
    out_flush (o);
    if (fwrite (s, 1, n, o->f) != n)
      die ("write error on %s", o->path);
    o->bytes += n;
    return;
  }
  out_reserve (o, n);
  memcpy (o->buf + o->pos, s, n);
  o->pos += n;
}

static inline void
out_str (Out *o, const char *s)
{
  out_mem (o, s, strlen (s));
}

static inline void
out_eol (Out *o)
{
  out_ch (o, '\n');
  o->rows++;
}

/* Unsigned integer, at least `width` digits (zero padded). */
static void
out_uint (Out *o, uint64_t v, int width)
{
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char) ('0' + v % 10);
    v /= 10;
  } while (v);
  while (n < width)
    tmp[n++] = '0';
  out_reserve (o, (size_t) n);
  while (n)
    o->buf[o->pos++] = tmp[--n];
}

static void
out_int (Out *o, int64_t v)
{
  if (v < 0) {
    out_ch (o, '-');
    out_uint (o, (uint64_t) 0 - (uint64_t) v, 1);
  } else {
    out_uint (o, (uint64_t) v, 1);
  }
}

/* A scaled integer v / 10^decimals, printed with exactly `decimals` digits. */
static void
out_fixed (Out *o, int64_t v, int decimals)
{
  uint64_t a = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;
  uint64_t scale = 1;
  for (int i = 0; i < decimals; i++)
    scale *= 10;
  if (v < 0)
    out_ch (o, '-');
  out_uint (o, a / scale, 1);
  if (decimals) {
    out_ch (o, '.');
    out_uint (o, a % scale, decimals);
  }
}

static inline void
out_cents (Out *o, int64_t cents)
{
  out_fixed (o, cents, 2);
}

/* A quantity held in quarters: 10, 2.5, 0.75, -2. */
static void
out_qty (Out *o, int64_t q4)
{
  static const char *const frac[4] = {"", ".25", ".5", ".75"};
  uint64_t a = q4 < 0 ? (uint64_t) 0 - (uint64_t) q4 : (uint64_t) q4;
  if (q4 < 0)
    out_ch (o, '-');
  out_uint (o, a / 4, 1);
  out_str (o, frac[a % 4]);
}

/* Free text, quoted (RFC 4180) only when it holds a comma, quote or newline. */
static void
out_text (Out *o, const char *s)
{
  if (!strpbrk (s, ",\"\r\n")) {
    out_str (o, s);
    return;
  }
  out_ch (o, '"');
  for (; *s; s++) {
    if (*s == '"')
      out_ch (o, '"');
    out_ch (o, *s);
  }
  out_ch (o, '"');
}

static inline void
out_id (Out *o, const char *prefix, uint64_t n, int width)
{
  out_str (o, prefix);
  out_uint (o, n, width);
}

static inline void
out_date (Out *o, int day)
{
  out_mem (o, date_str[day], 10);
}

static int
digits (uint64_t v)
{
  int n = 1;
  while (v >= 10) {
    v /= 10;
    n++;
  }
  return n;
}

/* a / b rounded half-even, a >= 0, b > 0. */
static int64_t
div_half_even (int64_t a, int64_t b)
{
  int64_t q = a / b, r = a % b;
  if (2 * r > b || (2 * r == b && (q & 1)))
    q++;
  return q;
}

/* ------------------------------------------------------------------------ */
/* Model                                                                     */
/* ------------------------------------------------------------------------ */

enum { ROLE_TOP, ROLE_VP, ROLE_MGR, ROLE_FIELD };
enum { ST_DRAFT, ST_INAPPR, ST_SIGNED, ST_PAID, ST_COMPLETED, ST_CANCELLED };
static const char *const STATUS[] = {"draft", "in_approval", "signed",
                                     "paid", "completed", "cancelled"};

enum { C_IMPLANT, C_CEMENT, C_CONS, C_IMG, C_INSTALL, C_WARR, C_TRAIN, C_SVC, C_DISC, C_N };

typedef struct {
  const char *prefix;   /* product id prefix, also the category */
  const char *category;
  const char *name;
  int64_t base;         /* list price, cents */
  int qlo, qhi;         /* quantity range (units) */
  int frac;             /* 0: whole units, 2: halves, 4: quarters */
  int cls;
  int share;            /* catalog share */
} Tmpl;

static const Tmpl TMPL[] = {
  {"ORT", "orthopedic", "Total knee implant system", 2800000, 1, 6, 0, C_IMPLANT, 3},
  {"ORT", "orthopedic", "Hip stem and cup set", 2450000, 1, 6, 0, C_IMPLANT, 3},
  {"ORT", "orthopedic", "Pedicle screw set, 6 levels", 980000, 1, 8, 0, C_IMPLANT, 3},
  {"ORT", "orthopedic", "Locking trauma plate (8-hole)", 360000, 2, 20, 0, C_IMPLANT, 3},
  {"ORT", "orthopedic", "Intramedullary tibial nail", 520000, 1, 10, 0, C_IMPLANT, 3},
  {"ORT", "orthopedic", "Cannulated screw 7.3 mm", 45000, 5, 40, 0, C_IMPLANT, 2},
  {"ORT", "orthopedic", "Bone cement, 40 g", 42000, 10, 60, 0, C_CEMENT, 1},
  {"CON", "consumables", "Absorbable suture, box of 36", 86400, 5, 60, 0, C_CONS, 4},
  {"CON", "consumables", "Sterile surgical gloves, case of 200", 115000, 5, 40, 0, C_CONS, 4},
  {"CON", "consumables", "Surgical drape pack", 9650, 50, 400, 0, C_CONS, 4},
  {"CON", "consumables", "Central venous catheter kit", 38000, 10, 120, 0, C_CONS, 4},
  {"CON", "consumables", "Skin stapler 35W", 26000, 10, 80, 0, C_CONS, 3},
  {"CON", "consumables", "Chlorhexidine surgical scrub (litre)", 4800, 2, 60, 2, C_CONS, 2},
  {"CON", "consumables", "Wound dressing 10 x 10 cm, box of 50", 12500, 10, 200, 0, C_CONS, 4},
  {"CON", "consumables", "Disposable scalpel, box of 10", 8000, 10, 100, 0, C_CONS, 3},
  {"CON", "consumables", "Saline 0.9 % irrigation (litre)", 600, 10, 400, 2, C_CONS, 2},
  {"IMG", "imaging", "Portable ultrasound system", 18600000, 1, 1, 0, C_IMG, 1},
  {"IMG", "imaging", "Mobile C-arm fluoroscope", 42000000, 1, 1, 0, C_IMG, 1},
  {"IMG", "imaging", "Digital radiography detector", 9800000, 1, 2, 0, C_IMG, 1},
  {"IMG", "imaging", "MRI knee coil", 6500000, 1, 1, 0, C_IMG, 1},
  {"IMG", "imaging", "PACS workstation licence", 4200000, 1, 3, 0, C_IMG, 1},
  {"SVC", "services", "Installation and calibration", 850000, 1, 1, 0, C_INSTALL, 1},
  {"SVC", "services", "Extended warranty (year)", 1800000, 1, 3, 0, C_WARR, 1},
  {"SVC", "services", "On-site OR staff training (day)", 480000, 1, 3, 0, C_TRAIN, 1},
  {"SVC", "services", "Preventive maintenance contract (annual)", 3600000, 1, 3, 0, C_SVC, 1},
  {"SVC", "services", "Field service engineer (hour)", 68000, 1, 24, 4, C_SVC, 1},
};
#define NTMPL ((int) G_N_ELEMENTS (TMPL))

typedef struct {
  uint8_t role;
  int32_t team;     /* -1 = HQ */
  int32_t manager;  /* -1 = none */
  uint32_t weight;  /* relative order volume */
} Rep;

typedef struct {
  int32_t first, n;  /* reps first .. first+n-1; first is the manager */
} Team;

enum { K_ESTABLISHED, K_LATE, K_NEW, K_LAPSED };

typedef struct {
  int32_t start;     /* first day it may order */
  uint32_t weight;
  uint8_t kind;
} Cust;

typedef struct {
  int tmpl;
  int64_t price, cost;  /* cents */
  int32_t seq;          /* number within its prefix */
} Prod;

typedef struct {
  int32_t day, rep, cust;
  uint32_t line0, split0;
  uint8_t nlines, nsplit, status, lapsed;
  int64_t net;
} Order;

typedef struct {
  int32_t prod;
  int32_t qty4;      /* quantity in quarters */
  int64_t price;     /* cents */
} Line;

enum { SH_05, SH_06, SH_04, SH_07, SH_03, SH_025, SH_THIRD, SH_THIRD4, SH_N };
static const char *const SHARE[SH_N] = {
  "0.5", "0.6", "0.4", "0.7", "0.3", "0.25",
  "0.333333333333333333333", "0.333333333333333333334"};
static const int SHARE_PCT[SH_N] = {50, 60, 40, 70, 30, 25, 33, 34};

typedef struct {
  int32_t order, rep;
  uint8_t share;
} Split;

typedef struct {
  int32_t day, order;
  int64_t amount;   /* cents */
} Rcpt;

/* Planted (exception) rows: plain strings. */
typedef struct {
  char id[24], cust[24], rep[24];
  int day;
  int status;
  int nlines;
  struct { char prod[24]; int32_t qty4; int64_t price, cost; } line[3];
  int nsplit;
  struct { char rep[24]; const char *share; } split[3];
} PlantOrder;

typedef struct {
  char id[24], order[24];
  int day;
  int64_t amount;
} PlantRcpt;

/* The whole generated company. */
typedef struct {
  uint64_t seed;
  int nreps, norders;
  int cutoff, hist_start;
  int wrep, wcust, wteam, word, wrc, wprod;

  Rep *reps;
  Team *teams;
  int nteams;
  int *field_reps;     /* indexes of ROLE_FIELD reps */
  int nfield;
  uint64_t *rep_cum;   /* cumulative weights over reps */

  Cust *custs;
  int ncust;
  uint64_t *cust_cum;  /* per team, cumulative; team t = custs t, t+nteams, … */
  int *lapsed;
  int nlapsed;

  Prod *prods;
  int nprod;
  int tmpl_first[NTMPL + 1];
  int cls_tmpls[C_N][16];
  int cls_ntmpl[C_N];
  int disc_prod;

  Order *orders;
  int nord;
  GArray *lines;   /* Line */
  GArray *splits;  /* Split */
  GArray *rcpts;   /* Rcpt, sorted by day at the end */

  int64_t *credit;  /* [rep * 7 + quota month] (cents, approx., for sizing) */
  int32_t *ncredit; /* receipts credited to the rep per quota month */

  GArray *porders;  /* PlantOrder */
  GArray *prcpts;   /* PlantRcpt */
  uint8_t *no_quota;   /* [rep * 7 + qm]: 1 = drop the row, 2 = "0", 3 = negative */
  int nplant;          /* planted rows per kind per run month */
} World;

static void
world_free (World *w)
{
  g_free (w->reps);
  g_free (w->teams);
  g_free (w->field_reps);
  g_free (w->rep_cum);
  g_free (w->custs);
  g_free (w->cust_cum);
  g_free (w->lapsed);
  g_free (w->prods);
  g_free (w->orders);
  g_clear_pointer (&w->lines, g_array_unref);
  g_clear_pointer (&w->splits, g_array_unref);
  g_clear_pointer (&w->rcpts, g_array_unref);
  g_free (w->credit);
  g_free (w->ncredit);
  g_clear_pointer (&w->porders, g_array_unref);
  g_clear_pointer (&w->prcpts, g_array_unref);
  g_free (w->no_quota);
  g_free (w);
}

#define QM0 MI (2026, 1)   /* first quota month */
#define NQM 7              /* 2026-01 .. 2026-07 */
#define RUN0 MI (2026, 4)  /* first run month */
#define NRUN 4
#define MEASURED MI (2026, 6)

/* ------------------------------------------------------------------------ */
/* Names                                                                     */
/* ------------------------------------------------------------------------ */

static const char *const FIRST[] = {
  "James", "Maria", "Wei", "Anna", "Carlos", "Fatima", "Olga", "Pieter", "Siobhán", "Jürgen",
  "Aiko", "Mateo", "Priya", "Lars", "Chloé", "Noah", "Amara", "Ivan", "Elena", "Tomás",
  "Sofia", "David", "Hannah", "Yusuf", "Ingrid", "Kwame", "Lucía", "Mikael", "Nadia", "Ravi"};
static const char *const LAST[] = {
  "Smith", "García", "Müller", "Rossi", "Novak", "Kowalski", "Nakamura", "Okafor", "Johansson",
  "Dubois", "Silva", "Khan", "Brown", "van der Berg", "O'Brien", "Schmidt", "Lindqvist",
  "Mendes", "Patel", "Nguyen", "Andersen", "Costa", "Horvat", "Ivanova", "Jensen", "Kim"};
static const char *const CN_SUR[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                     "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const CN_GIVEN[] = {"伟", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰",
                                       "涛", "明", "华", "芳", "军", "丽", "强", "平", "刚"};
static const char *const CN_CITY[] = {"杭州", "南京", "苏州", "宁波", "上海", "成都", "武汉", "西安",
                                      "广州", "深圳", "重庆", "天津", "青岛", "厦门", "长沙", "昆明"};
static const char *const CN_TYPE[] = {"人民医院", "中医院", "妇幼保健院", "骨科医院", "口腔医院",
                                      "第一医院", "第二医院", "康复中心", "骨科中心", "影像中心"};
static const char *const LT_PLACE[] = {
  "Lakeside", "Harbor View", "Riverside", "Mercy", "St. Luke's", "Green Valley", "Northgate",
  "Oakwood", "Bayside", "Maple Ridge", "Summit", "Clínica San Rafael", "Westfield", "Hillcrest",
  "Cedar Park", "Kingsbridge"};
static const char *const LT_TYPE[] = {
  "Medical Center", "General Hospital", "Surgical Center", "Rehabilitation Clinic",
  "Imaging Center", "Orthopedic Clinic", "Children's Hospital", "Day Surgery", "University Hospital"};

#define PICK(r, arr) (arr[rbelow ((r), (uint32_t) G_N_ELEMENTS (arr))])

static void
rep_name (Rng *r, char *buf, size_t n)
{
  int u = rpm (r);
  if (u < 400) {
    if (rpm (r) < 500)
      g_snprintf (buf, n, "%s%s", PICK (r, CN_SUR), PICK (r, CN_GIVEN));
    else
      g_snprintf (buf, n, "%s%s%s", PICK (r, CN_SUR), PICK (r, CN_GIVEN), PICK (r, CN_GIVEN));
  } else if (u < 950) {
    g_snprintf (buf, n, "%s %s", PICK (r, FIRST), PICK (r, LAST));
  } else if (u < 990) {
    g_snprintf (buf, n, "%s, %s", PICK (r, LAST), PICK (r, FIRST));
  } else {
    static const char *const NICK[] = {"Charlie", "Bo", "Ace", "Jo", "Max"};
    g_snprintf (buf, n, "%s \"%s\" %s", PICK (r, FIRST), PICK (r, NICK), PICK (r, LAST));
  }
}

static void
cust_name (Rng *r, char *buf, size_t n)
{
  int u = rpm (r);
  if (u < 550) {
    if (rpm (r) < 300)
      g_snprintf (buf, n, "%s%s, %s分院", PICK (r, CN_CITY), PICK (r, CN_TYPE), PICK (r, CN_CITY));
    else
      g_snprintf (buf, n, "%s%s", PICK (r, CN_CITY), PICK (r, CN_TYPE));
  } else if (u < 940) {
    g_snprintf (buf, n, "%s %s", PICK (r, LT_PLACE), PICK (r, LT_TYPE));
  } else if (u < 980) {
    static const char *const INC[] = {"Inc.", "Ltd.", "S.L.", "GmbH", "LLC"};
    g_snprintf (buf, n, "%s %s, %s", PICK (r, LT_PLACE), PICK (r, LT_TYPE), PICK (r, INC));
  } else {
    static const char *const Q[] = {"Sunshine", "Bright Smile", "North Wing", "Hope"};
    g_snprintf (buf, n, "\"%s\" %s %s", PICK (r, Q), PICK (r, LT_PLACE), PICK (r, LT_TYPE));
  }
}

/* ------------------------------------------------------------------------ */
/* Company: reps, customers, products                                        */
/* ------------------------------------------------------------------------ */

static void
make_reps (World *w, Rng *r)
{
  int R = w->nreps;
  w->reps = g_new0 (Rep, (gsize) R);
  w->teams = g_new0 (Team, (gsize) R);
  w->field_reps = g_new (int, (gsize) R);
  int nvp = R >= 250 ? R / 250 : 0;
  if (R - 1 - nvp < 0)
    nvp = 0;
  w->reps[0] = (Rep) {ROLE_TOP, -1, -1, 100};
  for (int i = 1; i <= nvp; i++)
    w->reps[i] = (Rep) {ROLE_VP, -1, 0, 120};
  int next = 1 + nvp, rem = R - next;
  while (rem > 0) {
    int s = rrange (r, 6, 14);
    if (s > rem || rem - s < 4)
      s = rem;
    int t = w->nteams++;
    w->teams[t] = (Team) {next, s};
    int boss = nvp ? 1 + t % nvp : 0;
    w->reps[next] = (Rep) {ROLE_MGR, t, boss, 150};
    for (int i = 1; i < s; i++) {
      /* truncated Pareto (alpha 1): 256 .. 4096 */
      uint32_t u = 16 + rbelow (r, 240);
      uint32_t wt = 4096u * 16u / u;
      w->reps[next + i] = (Rep) {ROLE_FIELD, t, next, wt};
      w->field_reps[w->nfield++] = next + i;
    }
    next += s;
    rem -= s;
  }
  if (w->nteams == 0) {
    /* a one-person company: the top rep is also its team */
    w->teams[0] = (Team) {0, 1};
    w->nteams = 1;
  }
  w->rep_cum = g_new (uint64_t, (gsize) R);
  uint64_t c = 0;
  for (int i = 0; i < R; i++)
    w->rep_cum[i] = (c += w->reps[i].weight);
}

static void
make_customers (World *w, Rng *r)
{
  int C = w->norders / 10;
  if (C < 2 * w->nteams)
    C = 2 * w->nteams;
  if (C < 50)
    C = 50;
  w->ncust = C;
  w->custs = g_new0 (Cust, (gsize) C);
  w->lapsed = g_new (int, (gsize) C);
  for (int i = 0; i < C; i++) {
    Cust *c = &w->custs[i];
    int u = rpm (r);
    /* Pareto weights 128 .. 4096 */
    c->weight = 65536u / (16 + rbelow (r, 496));
    c->start = w->hist_start;
    c->kind = K_ESTABLISHED;
    if (i < 2 * w->nteams)
      continue;  /* the first two customers of every territory are established */
    if (u < 5) {
      c->kind = K_LAPSED;
      c->weight = 0;
      w->lapsed[w->nlapsed++] = i;
    } else if (u < 85) {
      c->kind = K_NEW;
      c->start = rrange (r, month_first[MI (2026, 1)], w->cutoff - 10);
    } else if (u < 185) {
      c->kind = K_LATE;
      c->start = rrange (r, month_first[MI (2025, 5)], month_first[MI (2025, 12)]);
    }
  }
  /* per-territory cumulative weights; territory t holds t, t+T, t+2T, … */
  int T = w->nteams;
  w->cust_cum = g_new (uint64_t, (gsize) C);
  for (int t = 0; t < T; t++) {
    uint64_t s = 0;
    for (int i = t; i < C; i += T)
      w->cust_cum[i] = (s += w->custs[i].weight);
  }
}

/* A customer of territory t who may order on `day`. */
static int
pick_customer (World *w, Rng *r, int t, int day)
{
  int T = w->nteams, C = w->ncust;
  int n = (C - t + T - 1) / T;  /* customers in territory t */
  uint64_t tot = w->cust_cum[t + (n - 1) * T];
  for (int attempt = 0; attempt < 8; attempt++) {
    uint64_t x = (rnext (r) >> 11) % tot;
    int lo = 0, hi = n - 1;
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (w->cust_cum[t + mid * T] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
    int c = t + lo * T;
    if (w->custs[c].start <= day)
      return c;
  }
  return t;  /* established by construction */
}

static void
make_products (World *w, Rng *r)
{
  int P = w->norders / 400;
  if (P < 40)
    P = 40;
  if (P > 6000)
    P = 6000;
  int tot = 0;
  for (int i = 0; i < NTMPL; i++)
    tot += TMPL[i].share;
  int cap = 0;
  int count[NTMPL];
  for (int i = 0; i < NTMPL; i++) {
    count[i] = P * TMPL[i].share / tot;
    if (count[i] < 1)
      count[i] = 1;
    cap += count[i];
  }
  w->prods = g_new0 (Prod, (gsize) cap + 1);
  int seq_ort = 0, seq_con = 0, seq_img = 0, seq_svc = 0;
  int n = 0;
  for (int i = 0; i < NTMPL; i++) {
    const Tmpl *tp = &TMPL[i];
    w->tmpl_first[i] = n;
    w->cls_tmpls[tp->cls][w->cls_ntmpl[tp->cls]++] = i;
    for (int j = 0; j < count[i]; j++) {
      Prod *p = &w->prods[n++];
      p->tmpl = i;
      int *seq = tp->prefix[0] == 'O' ? &seq_ort : tp->prefix[0] == 'C' ? &seq_con
               : tp->prefix[0] == 'I' ? &seq_img : &seq_svc;
      p->seq = ++*seq;
      /* variant price: 80 % .. 120 % of the template (first variant: list) */
      int64_t price = j == 0 ? tp->base : tp->base * rrange (r, 80, 120) / 100;
      int u = rpm (r);
      if (tp->frac || u < 250)
        price = (price + 50) / 100 * 100;  /* whole currency units */
      if (price < 100)
        price = 100;
      p->price = price;
      if (u < 150)
        p->cost = price * 65 / 100;    /* margin exactly 0.35 */
      else if (u < 250)
        p->cost = price * 60 / 100;    /* margin exactly 0.40 */
      else
        p->cost = price * (1000 - rrange (r, 150, 700)) / 1000;
    }
  }
  w->tmpl_first[NTMPL] = n;
  w->disc_prod = n;
  w->prods[n] = (Prod) {-1, 0, 0, 0};
  w->nprod = n + 1;
  w->wprod = digits ((uint64_t) (seq_con > seq_ort ? seq_con : seq_ort));
  if (w->wprod < 4)
    w->wprod = 4;
}

/* ------------------------------------------------------------------------ */
/* Orders, lines, splits, receipts                                           */
/* ------------------------------------------------------------------------ */

static void
add_line (World *w, Rng *r, Order *o, int prod, int qty4, int64_t price, int discountable)
{
  const Prod *p = &w->prods[prod];
  if (qty4 < 0) {
    const Tmpl *tp = &TMPL[p->tmpl];
    if (tp->frac) {
      int step = 4 / tp->frac;
      qty4 = step * rrange (r, tp->qlo * tp->frac, tp->qhi * tp->frac);
    } else {
      int a = rrange (r, tp->qlo, tp->qhi), b = rrange (r, tp->qlo, tp->qhi);
      qty4 = 4 * (a < b ? a : b);  /* small quantities are more common */
    }
  }
  if (price < 0) {
    price = p->price;
    if (discountable && rpm (r) < 250) {
      static const int D[] = {3, 5, 8, 10};
      int d = D[rbelow (r, 4)];
      if (TMPL[p->tmpl].frac)
        price = div_half_even (price * (100 - d), 10000) * 100;
      else
        price = div_half_even (price * (100 - d), 100);
    }
  }
  Line l = {prod, qty4, price};
  g_array_append_val (w->lines, l);
  o->nlines++;
  o->net += (int64_t) qty4 * price / 4;
}

/* A product of class `cls`, popular variants first, not yet on the order. */
static int
pick_prod (World *w, Rng *r, int cls, const Order *o)
{
  int prod = 0;
  for (int attempt = 0; attempt < 4; attempt++) {
    int t = w->cls_tmpls[cls][rbelow (r, (uint32_t) w->cls_ntmpl[cls])];
    int n = w->tmpl_first[t + 1] - w->tmpl_first[t];
    prod = w->tmpl_first[t] + (int) rskew (r, (uint32_t) n);
    gboolean dup = FALSE;
    Line *ls = &g_array_index (w->lines, Line, o->line0);
    for (int i = 0; i < o->nlines; i++)
      if (ls[i].prod == prod)
        dup = TRUE;
    if (!dup)
      break;
  }
  return prod;
}

static void
make_lines (World *w, Rng *r, Order *o)
{
  int role = w->reps[o->rep].role;
  int kind;
  if (role == ROLE_TOP || role == ROLE_VP) {
    static const int K[] = {25, 0, 75, 0};
    kind = rweighted (r, K, 4);
  } else {
    static const int K[] = {38, 36, 6, 20};
    kind = rweighted (r, K, 4);
  }
  o->line0 = w->lines->len;
  o->nlines = 0;
  o->net = 0;
  switch (kind) {
  case 0: {  /* orthopedic */
    static const int NI[] = {1, 1, 2, 2, 3};
    int ni = NI[rbelow (r, 5)];
    for (int i = 0; i < ni; i++)
      add_line (w, r, o, pick_prod (w, r, C_IMPLANT, o), -1, -1, 1);
    if (rpm (r) < 350)
      add_line (w, r, o, pick_prod (w, r, C_CEMENT, o), -1, -1, 1);
    if (rpm (r) < 150) {
      gboolean free_day = rpm (r) < 500;
      add_line (w, r, o, pick_prod (w, r, C_TRAIN, o), 4, free_day ? 0 : -1, 0);
    }
    break;
  }
  case 1: {  /* consumables */
    static const int NC[] = {1, 2, 2, 3, 4, 5, 6};
    int nc = NC[rbelow (r, 7)];
    for (int i = 0; i < nc; i++)
      add_line (w, r, o, pick_prod (w, r, C_CONS, o), -1, -1, 1);
    if (rpm (r) < 40)  /* free samples */
      add_line (w, r, o, pick_prod (w, r, C_CONS, o), 4 * rrange (r, 1, 5), 0, 0);
    break;
  }
  case 2:  /* imaging */
    add_line (w, r, o, pick_prod (w, r, C_IMG, o), -1, -1, 1);
    if (rpm (r) < 600)
      add_line (w, r, o, pick_prod (w, r, C_INSTALL, o), -1, -1, 1);
    if (rpm (r) < 400)
      add_line (w, r, o, pick_prod (w, r, C_WARR, o), -1, -1, 1);
    if (rpm (r) < 300)
      add_line (w, r, o, pick_prod (w, r, C_TRAIN, o), 4, 0, 0);
    break;
  default: {  /* services */
    static const int NS[] = {1, 1, 2, 3};
    int ns = NS[rbelow (r, 4)];
    static const int SC[] = {C_SVC, C_SVC, C_WARR, C_TRAIN, C_INSTALL};
    for (int i = 0; i < ns; i++)
      add_line (w, r, o, pick_prod (w, r, SC[rbelow (r, 5)], o), -1, -1, 1);
    break;
  }
  }
  /* volume discount on some multi-line orders (a negative line) */
  if (o->nlines >= 2 && rpm (r) < 100) {
    static const int PCT[] = {3, 4, 5, 6};
    int64_t d = o->net * PCT[rbelow (r, 4)] / 100 / 10000 * 10000;
    if (d > 0 && d < o->net)
      add_line (w, r, o, w->disc_prod, 4, -d, 0);
  }
}

static void
make_splits (World *w, Rng *r, int oi)
{
  Order *o = &w->orders[oi];
  o->split0 = w->splits->len;
  o->nsplit = 0;
  const Rep *owner = &w->reps[o->rep];
  if (owner->team < 0 || o->lapsed)
    return;
  int p = o->day >= month_first[RUN0] ? 55 : 30;
  if (rpm (r) >= p)
    return;
  const Team *t = &w->teams[owner->team];
  static const int PW[] = {38, 25, 15, 12, 7, 3};
  static const uint8_t PAT[6][3] = {
    {SH_05, SH_05, 255}, {SH_06, SH_04, 255}, {SH_07, SH_03, 255},
    {SH_04, SH_03, SH_03}, {SH_05, SH_025, SH_025}, {SH_THIRD, SH_THIRD, SH_THIRD4}};
  int pat = rweighted (r, PW, 6);
  int k = PAT[pat][2] == 255 ? 2 : 3;
  if (t->n - 1 < k - 1)
    return;
  int who[3] = {o->rep, -1, -1};
  for (int i = 1; i < k; i++) {
    int cand;
    gboolean ok;
    do {
      cand = t->first + (int) rbelow (r, (uint32_t) t->n);
      ok = TRUE;
      for (int j = 0; j < i; j++)
        if (who[j] == cand)
          ok = FALSE;
    } while (!ok);
    who[i] = cand;
  }
  for (int i = 0; i < k; i++) {
    Split s = {oi, who[i], PAT[pat][i]};
    g_array_append_val (w->splits, s);
  }
  o->nsplit = (uint8_t) k;
}

/* Credit bookkeeping for quota sizing (owner/split shares, approximate). */
static void
note_credit (World *w, int oi, int day, int64_t amount)
{
  int k = month_of_day[day] - QM0;
  if (k < 0 || k >= NQM)
    return;
  const Order *o = &w->orders[oi];
  if (o->nsplit == 0) {
    w->credit[o->rep * NQM + k] += amount;
    w->ncredit[o->rep * NQM + k]++;
    return;
  }
  const Split *s = &g_array_index (w->splits, Split, o->split0);
  for (int i = 0; i < o->nsplit; i++) {
    w->credit[s[i].rep * NQM + k] += amount * SHARE_PCT[s[i].share] / 100;
    w->ncredit[s[i].rep * NQM + k]++;
  }
}

static void
add_rcpt (World *w, int oi, int day, int64_t amount)
{
  Rcpt x = {day, oi, amount};
  g_array_append_val (w->rcpts, x);
  note_credit (w, oi, day, amount);
}

/* Days from signing to the first payment. */
static int
pay_delay (Rng *r)
{
  int u = rpm (r);
  if (u < 20)
    return -rrange (r, 1, 10);  /* prepayment */
  if (u < 170)
    return rrange (r, 0, 14);
  if (u < 620)
    return rrange (r, 15, 60);
  if (u < 900)
    return rrange (r, 61, 90);
  return rrange (r, 91, 120);
}

static void
make_receipts (World *w, Rng *r, int oi)
{
  Order *o = &w->orders[oi];
  int signed_on = o->day, cutoff = w->cutoff;
  int age = cutoff - signed_on;
  int64_t net = o->net;
  if (o->lapsed == 1) {  /* old business of a lapsed customer */
    add_rcpt (w, oi, signed_on + rrange (r, 10, 40), net);
    o->status = ST_COMPLETED;
    return;
  }
  if (o->lapsed == 2) {  /* the lapsed customer's return, paid quickly */
    int d = signed_on + rrange (r, 3, 12);
    add_rcpt (w, oi, d < cutoff ? d : cutoff, net);
    o->status = ST_PAID;
    return;
  }
  int u = rpm (r);
  if (age <= 60 && u < 25) {
    o->status = ST_DRAFT;
    return;
  }
  if (age <= 60 && u < 50) {
    o->status = ST_INAPPR;
    return;
  }
  if (u < 65) {
    o->status = ST_CANCELLED;
    if (rpm (r) < 500) {  /* a deposit, refunded */
      int64_t dep = net * 3 / 10;
      int d1 = signed_on + rrange (r, 0, 30);
      int d2 = d1 + rrange (r, 7, 45);
      if (d2 <= cutoff && dep > 0) {
        add_rcpt (w, oi, d1, dep);
        add_rcpt (w, oi, d2, -dep);
      }
    }
    return;
  }
  static const int KW[] = {70, 22, 8};
  int k = 1 + rweighted (r, KW, 3);
  static const int PARTS[3][3] = {{100, 0, 0}, {30, 70, 0}, {30, 40, 30}};
  int64_t amounts[3], left = net;
  for (int i = 0; i < k - 1; i++) {
    amounts[i] = net * PARTS[k - 1][i] / 100;
    left -= amounts[i];
  }
  amounts[k - 1] = left;
  int day = signed_on + pay_delay (r);
  int got = 0, first_day = day;
  int64_t paid_by[3];
  int paid_day[3];
  for (int i = 0; i < k; i++) {
    if (i) {
      day += rrange (r, 15, 45);
      if (day > signed_on + 120)
        day = signed_on + 120;
    }
    if (day > cutoff)
      break;
    add_rcpt (w, oi, day, amounts[i]);
    paid_by[got] = (got ? paid_by[got - 1] : 0) + amounts[i];
    paid_day[got] = day;
    got++;
  }
  if (got == k)
    o->status = (cutoff - day > 20 && rpm (r) < 600) ? ST_COMPLETED : ST_PAID;
  else
    o->status = ST_SIGNED;
  if (got && rpm (r) < 30) {  /* returned goods: a partial refund */
    int rday = first_day + rrange (r, 5, 60);
    if (rday <= cutoff) {
      int64_t paid = 0;
      for (int i = 0; i < got; i++)
        if (paid_day[i] <= rday)
          paid = paid_by[i];
      const Line *ls = &g_array_index (w->lines, Line, o->line0);
      int64_t amt = 0;
      for (int i = 0; i < o->nlines; i++)
        if (ls[i].price > 0) {
          amt = ls[i].price;  /* one unit (or less for fractional lines) */
          if (ls[i].qty4 < 4)
            amt = ls[i].price * ls[i].qty4 / 4;
          break;
        }
      if (amt > paid)
        amt = paid;
      if (amt > 0)
        add_rcpt (w, oi, rday, -amt);
    }
  }
  if (got && rpm (r) < 2) {  /* a zero-amount receipt (bank correction) */
    int zday = first_day + 3;
    if (zday <= cutoff)
      add_rcpt (w, oi, zday, 0);
  }
}

static void
make_orders (World *w, Rng *r)
{
  /* lapsed customers first: 1–2 orders in 2025-04/05, one in 2026-06 */
  int cap = w->norders;
  Order *hdr = g_new0 (Order, (gsize) cap);
  int n = 0;
  for (int i = 0; i < w->nlapsed && n + 3 < cap / 2; i++) {
    int c = w->lapsed[i];
    int t = c % w->nteams;
    const Team *tm = &w->teams[t];
    int rep = tm->n > 1 ? tm->first + 1 + (int) rbelow (r, (uint32_t) (tm->n - 1)) : tm->first;
    int k = rrange (r, 1, 2);
    for (int j = 0; j < k; j++) {
      hdr[n++] = (Order) {.day = day_of (2025, rrange (r, 4, 5), rrange (r, 1, 28)),
                          .rep = rep, .cust = c, .lapsed = 1};
    }
    hdr[n++] = (Order) {.day = day_of (2026, 6, rrange (r, 1, 15)), .rep = rep, .cust = c,
                        .lapsed = 2};
  }
  /* natural orders: a lighter year of history, then the four run months */
  int first_m = MI (2025, 4), last_m = MI (2026, 7);
  int mw[NMONTHS] = {0};
  int wtot = 0;
  for (int k = first_m; k <= last_m; k++) {
    mw[k] = k < MI (2026, 1) ? 22 : k < RUN0 ? 40 : 160;
    wtot += mw[k];
  }
  int nat = cap - n;
  int assigned = 0;
  for (int k = first_m; k <= last_m; k++) {
    int cnt = k == last_m ? nat - assigned : (int) ((int64_t) nat * mw[k] / wtot);
    assigned += cnt;
    int md = month_days (k);
    int mm = (EPOCH_M - 1 + k) % 12 + 1;
    gboolean q_end = mm % 3 == 0;
    for (int i = 0; i < cnt; i++) {
      int d = (q_end && rpm (r) < 250) ? md - (int) rbelow (r, 7) : 1 + (int) rbelow (r, (uint32_t) md);
      int day = month_first[k] + d - 1;
      int rep = (int) pick_cum (r, w->rep_cum, (uint32_t) w->nreps);
      int team = w->reps[rep].team;
      if (team < 0)
        team = (int) rbelow (r, (uint32_t) w->nteams);
      hdr[n++] = (Order) {.day = day, .rep = rep, .cust = pick_customer (w, r, team, day)};
    }
  }
  w->nord = n;
  /* stable counting sort by signing day ⇒ order ids follow the calendar */
  int *cnt = g_new0 (int, (gsize) ndays + 1);
  for (int i = 0; i < n; i++)
    cnt[hdr[i].day + 1]++;
  for (int d = 0; d < ndays; d++)
    cnt[d + 1] += cnt[d];
  w->orders = g_new (Order, (gsize) n);
  for (int i = 0; i < n; i++)
    w->orders[cnt[hdr[i].day]++] = hdr[i];
  g_free (cnt);
  g_free (hdr);

  w->lines = g_array_sized_new (FALSE, FALSE, sizeof (Line), (guint) n * 27 / 10);
  w->splits = g_array_sized_new (FALSE, FALSE, sizeof (Split), (guint) n / 8);
  w->rcpts = g_array_sized_new (FALSE, FALSE, sizeof (Rcpt), (guint) n * 11 / 10);
  for (int i = 0; i < n; i++) {
    make_lines (w, r, &w->orders[i]);
    make_splits (w, r, i);
    make_receipts (w, r, i);
  }
  /* receipts: stable counting sort by day ⇒ receipt ids follow the calendar */
  Rcpt *src = (Rcpt *) w->rcpts->data;
  guint nr = w->rcpts->len;
  int lo = 0;
  for (guint i = 0; i < nr; i++)
    if (src[i].day < lo)
      lo = src[i].day;
  g_assert (lo >= 0);
  int *c2 = g_new0 (int, (gsize) ndays + 1);
  for (guint i = 0; i < nr; i++)
    c2[src[i].day + 1]++;
  for (int d = 0; d < ndays; d++)
    c2[d + 1] += c2[d];
  GArray *sorted = g_array_sized_new (FALSE, FALSE, sizeof (Rcpt), nr);
  g_array_set_size (sorted, nr);
  Rcpt *dst = (Rcpt *) sorted->data;
  for (guint i = 0; i < nr; i++)
    dst[c2[src[i].day]++] = src[i];
  g_free (c2);
  g_array_free (w->rcpts, TRUE);
  w->rcpts = sorted;
}

/* ------------------------------------------------------------------------ */
/* Planted business exceptions                                               */
/* ------------------------------------------------------------------------ */

static void
rep_id_str (const World *w, int rep, char *buf, size_t n)
{
  g_snprintf (buf, n, "R%0*d", w->wrep, rep);
}

static void
cust_id_str (const World *w, int c, char *buf, size_t n)
{
  g_snprintf (buf, n, "C%0*d", w->wcust, c + 1);
}

static void
prod_id_str (const World *w, int p, char *buf, size_t n)
{
  if (p == w->disc_prod) {
    g_snprintf (buf, n, "DSC-VOL");
    return;
  }
  g_snprintf (buf, n, "%s-%0*d", TMPL[w->prods[p].tmpl].prefix, w->wprod, w->prods[p].seq);
}

/* A field rep not used for quota probes. */
static int
plant_rep (World *w, Rng *r)
{
  for (;;) {
    int rep = w->field_reps[rbelow (r, (uint32_t) w->nfield)];
    gboolean clean = TRUE;
    for (int k = 0; k < NQM; k++)
      if (w->no_quota[rep * NQM + k])
        clean = FALSE;
    if (clean)
      return rep;
  }
}

static PlantOrder *
porder_new (World *w, Rng *r, int day, int status)
{
  PlantOrder po;
  memset (&po, 0, sizeof po);
  g_snprintf (po.id, sizeof po.id, "OX-%06u", w->porders->len + 1);
  cust_id_str (w, (int) rbelow (r, (uint32_t) w->nteams), po.cust, sizeof po.cust);
  rep_id_str (w, plant_rep (w, r), po.rep, sizeof po.rep);
  po.day = day;
  po.status = status;
  g_array_append_val (w->porders, po);
  return &g_array_index (w->porders, PlantOrder, w->porders->len - 1);
}

static void
pline (World *w, PlantOrder *po, int prod, int qty4, int64_t price)
{
  int i = po->nlines++;
  prod_id_str (w, prod, po->line[i].prod, sizeof po->line[i].prod);
  po->line[i].qty4 = qty4;
  po->line[i].price = price;
  po->line[i].cost = prod == w->disc_prod ? 0 : w->prods[prod].cost;
}

static int64_t
pnet (const PlantOrder *po)
{
  int64_t net = 0;
  for (int i = 0; i < po->nlines; i++)
    net += (int64_t) po->line[i].qty4 * po->line[i].price / 4;
  return net;
}

static void
psplit (PlantOrder *po, const char *rep, const char *share)
{
  int i = po->nsplit++;
  g_strlcpy (po->split[i].rep, rep, sizeof po->split[i].rep);
  po->split[i].share = share;
}

static void
prcpt (World *w, const char *order, int day, int64_t amount)
{
  PlantRcpt pr;
  memset (&pr, 0, sizeof pr);
  g_snprintf (pr.id, sizeof pr.id, "RX-%06u", w->prcpts->len + 1);
  g_strlcpy (pr.order, order, sizeof pr.order);
  pr.day = day;
  pr.amount = amount;
  g_array_append_val (w->prcpts, pr);
}

/* A product of a class, its list price. */
static int
any_prod (World *w, Rng *r, int cls)
{
  int t = w->cls_tmpls[cls][rbelow (r, (uint32_t) w->cls_ntmpl[cls])];
  return w->tmpl_first[t];
}

static void
make_quota_probes (World *w, Rng *r)
{
  w->no_quota = g_new0 (uint8_t, (gsize) w->nreps * NQM);
  int budget = w->nfield / 2;  /* leave half the field reps clean for plant_rep () */
  for (int m = RUN0; m < RUN0 + NRUN; m++) {
    int qm = m - QM0;
    int want = 2 * w->nplant, got = 0;
    if (want > budget / NRUN)
      want = budget / NRUN;
    /* reps with credits in that month: NO_QUOTA (no row) and BAD_QUOTA */
    for (int tries = 0; tries < 50 * w->nreps && got < want; tries++) {
      int rep = w->field_reps[rbelow (r, (uint32_t) w->nfield)];
      if (w->ncredit[rep * NQM + qm] == 0)
        continue;
      gboolean used = FALSE;
      for (int k = 0; k < NQM; k++)
        if (w->no_quota[rep * NQM + k])
          used = TRUE;
      if (used)
        continue;
      /* alternate: no row (NO_QUOTA), quota 0, no row, negative quota (BAD_QUOTA) */
      w->no_quota[rep * NQM + qm] = (uint8_t) (got % 2 == 0 ? 1 : (got / 2) % 2 == 0 ? 2 : 3);
      got++;
    }
  }
}

static void
make_planted (World *w, Rng *r)
{
  w->porders = g_array_new (FALSE, TRUE, sizeof (PlantOrder));
  w->prcpts = g_array_new (FALSE, TRUE, sizeof (PlantRcpt));
  int K = w->nplant;
  for (int m = RUN0; m < RUN0 + NRUN; m++) {
    int m0 = month_first[m];
    for (int i = 0; i < K; i++) {
      char buf[32];
      PlantOrder *po;
      int sday = m0 - rrange (r, 1, 20), rday = m0 + rrange (r, 0, 27);
      int ortho = any_prod (w, r, C_IMPLANT), cons = any_prod (w, r, C_CONS);

      /* UNKNOWN_ORDER: a receipt naming no order */
      g_snprintf (buf, sizeof buf, "OX-MISSING-%d", (int) w->prcpts->len + 1);
      prcpt (w, buf, rday, 860000);

      /* UNKNOWN_REP: the owner is no rep */
      po = porder_new (w, r, sday, ST_SIGNED);
      g_snprintf (po->rep, sizeof po->rep, "R-GHOST-%d", (int) w->porders->len);
      pline (w, po, ortho, 8, w->prods[ortho].price);
      prcpt (w, po->id, rday, pnet (po));

      /* UNKNOWN_REP: a split names no rep */
      po = porder_new (w, r, sday, ST_PAID);
      pline (w, po, cons, 120, w->prods[cons].price);
      psplit (po, po->rep, "0.5");
      g_snprintf (buf, sizeof buf, "R-GHOST-%d", (int) w->porders->len);
      psplit (po, buf, "0.5");
      prcpt (w, po->id, rday, pnet (po));

      /* SPLIT_SUM: 0.6 + 0.3 = 0.9 or 0.5 + 0.3 + 0.3 = 1.1 */
      po = porder_new (w, r, sday, ST_PAID);
      pline (w, po, ortho, 4 * rrange (r, 1, 3), w->prods[ortho].price);
      {
        char ra[24], rb[24];
        do
          rep_id_str (w, plant_rep (w, r), ra, sizeof ra);
        while (strcmp (ra, po->rep) == 0);
        do
          rep_id_str (w, plant_rep (w, r), rb, sizeof rb);
        while (strcmp (rb, po->rep) == 0 || strcmp (rb, ra) == 0);
        if (i % 2) {
          psplit (po, po->rep, "0.5");
          psplit (po, ra, "0.3");
          psplit (po, rb, "0.3");
        } else {
          psplit (po, po->rep, "0.6");
          psplit (po, ra, "0.3");
        }
      }
      prcpt (w, po->id, rday, pnet (po));

      /* INELIGIBLE_STATUS: draft / in_approval with money */
      po = porder_new (w, r, sday, i % 2 ? ST_INAPPR : ST_DRAFT);
      pline (w, po, ortho, 4, w->prods[ortho].price);
      prcpt (w, po->id, rday, pnet (po) * 3 / 10);

      /* NET_NOT_POSITIVE: net 0, no lines, or a return order */
      po = porder_new (w, r, sday, ST_SIGNED);
      switch (i % 3) {
      case 0: {
        int tr = any_prod (w, r, C_TRAIN);
        pline (w, po, tr, 4, w->prods[tr].price);
        pline (w, po, w->disc_prod, 4, -w->prods[tr].price);
        prcpt (w, po->id, rday, 50000);
        break;
      }
      case 1:
        prcpt (w, po->id, rday, 1200000);
        break;
      default:
        pline (w, po, ortho, -8, w->prods[ortho].price);
        prcpt (w, po->id, rday, pnet (po));
        break;
      }

      /* REFUND_WITHOUT_PAYMENT */
      po = porder_new (w, r, sday, ST_SIGNED);
      pline (w, po, cons, 40, w->prods[cons].price);
      prcpt (w, po->id, rday, -150000);

      /* UNKNOWN_CUSTOMER (credited anyway) */
      po = porder_new (w, r, sday, ST_PAID);
      g_snprintf (po->cust, sizeof po->cust, "C-GHOST-%d", (int) w->porders->len);
      pline (w, po, cons, 200, w->prods[cons].price);
      prcpt (w, po->id, rday, pnet (po));

      /* UNKNOWN_PRODUCT (credited anyway) */
      po = porder_new (w, r, sday, ST_PAID);
      pline (w, po, ortho, 4, w->prods[ortho].price);
      pline (w, po, any_prod (w, r, C_INSTALL), 4, 850000);
      g_snprintf (po->line[1].prod, sizeof po->line[1].prod, "SVC-LEGACY-%d", (int) w->porders->len);
      prcpt (w, po->id, rday, pnet (po));
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct {
  const char *name;
  uint64_t rows, bytes;
} FileStat;

static FileStat stats[16];
static int nstats;

static void
finish (Out *o)
{
  uint64_t rows = o->rows - 1;  /* header */
  const char *name = o->name;
  out_close (o);
  stats[nstats++] = (FileStat) {name, rows, o->bytes};
}

static void
write_reps (World *w, const char *dir)
{
  Out o;
  out_open (&o, dir, "reps.csv");
  out_str (&o, "rep_id,name,team_id,manager_id,plan_id");
  out_eol (&o);
  Rng nr;
  rng_seed (&nr, w->seed, 101);
  char name[128];
  for (int i = 0; i < w->nreps; i++) {
    const Rep *rp = &w->reps[i];
    out_id (&o, "R", (uint64_t) i, w->wrep);
    out_ch (&o, ',');
    rep_name (&nr, name, sizeof name);
    out_text (&o, name);
    out_ch (&o, ',');
    if (rp->team < 0)
      out_str (&o, "HQ");
    else
      out_id (&o, "T", (uint64_t) rp->team + 1, w->wteam);
    out_ch (&o, ',');
    if (rp->manager >= 0)
      out_id (&o, "R", (uint64_t) rp->manager, w->wrep);
    out_ch (&o, ',');
    out_str (&o, rp->role == ROLE_FIELD ? "field" : "lead");
    out_eol (&o);
  }
  finish (&o);
}

static void
write_customers (World *w, const char *dir)
{
  Out o;
  out_open (&o, dir, "customers.csv");
  out_str (&o, "customer_id,name");
  out_eol (&o);
  Rng nr;
  rng_seed (&nr, w->seed, 102);
  char name[160];
  for (int i = 0; i < w->ncust; i++) {
    out_id (&o, "C", (uint64_t) i + 1, w->wcust);
    out_ch (&o, ',');
    cust_name (&nr, name, sizeof name);
    out_text (&o, name);
    out_eol (&o);
  }
  finish (&o);
}

static void
write_products (World *w, const char *dir)
{
  Out o;
  out_open (&o, dir, "products.csv");
  out_str (&o, "product_id,name,category");
  out_eol (&o);
  char id[32], name[160];
  static const char *const SIZE[] = {"size S", "size M", "size L", "model A", "model B",
                                     "model C", "Pro", "Lite", "型号 X", "型号 Y"};
  for (int i = 0; i < w->nprod; i++) {
    prod_id_str (w, i, id, sizeof id);
    out_str (&o, id);
    out_ch (&o, ',');
    if (i == w->disc_prod) {
      out_str (&o, "Volume discount,discount");
    } else {
      const Prod *p = &w->prods[i];
      const Tmpl *tp = &TMPL[p->tmpl];
      int j = i - w->tmpl_first[p->tmpl];
      if (j == 0)
        g_snprintf (name, sizeof name, "%s", tp->name);
      else
        g_snprintf (name, sizeof name, "%s, %s %d", tp->name, SIZE[j % 10], j / 10 + 1);
      out_text (&o, name);
      out_ch (&o, ',');
      out_str (&o, tp->category);
    }
    out_eol (&o);
  }
  finish (&o);
}

static void
write_orders (World *w, const char *dir)
{
  Out o, l;
  out_open (&o, dir, "orders.csv");
  out_open (&l, dir, "order_lines.csv");
  out_str (&o, "order_id,customer_id,rep_id,signed_on,status");
  out_eol (&o);
  out_str (&l, "order_id,line_no,product_id,quantity,unit_price,unit_cost");
  out_eol (&l);
  /* product id strings, precomputed */
  char (*pid)[24] = g_malloc ((gsize) w->nprod * sizeof *pid);
  for (int i = 0; i < w->nprod; i++)
    prod_id_str (w, i, pid[i], sizeof pid[i]);
  const Line *lines = (const Line *) w->lines->data;
  char oid[24];
  for (int i = 0; i < w->nord; i++) {
    const Order *od = &w->orders[i];
    int n = g_snprintf (oid, sizeof oid, "O%0*d", w->word, i + 1);
    out_mem (&o, oid, (size_t) n);
    out_ch (&o, ',');
    out_id (&o, "C", (uint64_t) od->cust + 1, w->wcust);
    out_ch (&o, ',');
    out_id (&o, "R", (uint64_t) od->rep, w->wrep);
    out_ch (&o, ',');
    out_date (&o, od->day);
    out_ch (&o, ',');
    out_str (&o, STATUS[od->status]);
    out_eol (&o);
    for (int j = 0; j < od->nlines; j++) {
      const Line *ln = &lines[od->line0 + (guint) j];
      out_mem (&l, oid, (size_t) n);
      out_ch (&l, ',');
      out_uint (&l, (uint64_t) j + 1, 1);
      out_ch (&l, ',');
      out_str (&l, pid[ln->prod]);
      out_ch (&l, ',');
      out_qty (&l, ln->qty4);
      out_ch (&l, ',');
      out_cents (&l, ln->price);
      out_ch (&l, ',');
      out_cents (&l, w->prods[ln->prod].cost);
      out_eol (&l);
    }
  }
  g_free (pid);
  /* planted orders and their lines */
  for (guint i = 0; i < w->porders->len; i++) {
    const PlantOrder *po = &g_array_index (w->porders, PlantOrder, i);
    out_str (&o, po->id);
    out_ch (&o, ',');
    out_str (&o, po->cust);
    out_ch (&o, ',');
    out_str (&o, po->rep);
    out_ch (&o, ',');
    out_date (&o, po->day);
    out_ch (&o, ',');
    out_str (&o, STATUS[po->status]);
    out_eol (&o);
    for (int j = 0; j < po->nlines; j++) {
      out_str (&l, po->id);
      out_ch (&l, ',');
      out_uint (&l, (uint64_t) j + 1, 1);
      out_ch (&l, ',');
      out_str (&l, po->line[j].prod);
      out_ch (&l, ',');
      out_qty (&l, po->line[j].qty4);
      out_ch (&l, ',');
      out_cents (&l, po->line[j].price);
      out_ch (&l, ',');
      out_cents (&l, po->line[j].cost);
      out_eol (&l);
    }
  }
  /* UNKNOWN_ORDER in order_lines.csv: lines of orders that do not exist */
  for (int i = 0; i < w->nplant; i++) {
    out_str (&l, "OX-GHOST-L");
    out_uint (&l, (uint64_t) i + 1, 1);
    out_str (&l, ",1,");
    char id[32];
    prod_id_str (w, w->tmpl_first[0], id, sizeof id);
    out_str (&l, id);
    out_str (&l, ",2,");
    out_cents (&l, w->prods[w->tmpl_first[0]].price);
    out_ch (&l, ',');
    out_cents (&l, w->prods[w->tmpl_first[0]].cost);
    out_eol (&l);
  }
  finish (&o);
  finish (&l);
}

static void
write_splits (World *w, const char *dir)
{
  Out o;
  out_open (&o, dir, "splits.csv");
  out_str (&o, "order_id,rep_id,share");
  out_eol (&o);
  const Split *s = (const Split *) w->splits->data;
  for (guint i = 0; i < w->splits->len; i++) {
    out_id (&o, "O", (uint64_t) s[i].order + 1, w->word);
    out_ch (&o, ',');
    out_id (&o, "R", (uint64_t) s[i].rep, w->wrep);
    out_ch (&o, ',');
    out_str (&o, SHARE[s[i].share]);
    out_eol (&o);
  }
  for (guint i = 0; i < w->porders->len; i++) {
    const PlantOrder *po = &g_array_index (w->porders, PlantOrder, i);
    for (int j = 0; j < po->nsplit; j++) {
      out_str (&o, po->id);
      out_ch (&o, ',');
      out_str (&o, po->split[j].rep);
      out_ch (&o, ',');
      out_str (&o, po->split[j].share);
      out_eol (&o);
    }
  }
  /* UNKNOWN_ORDER in splits.csv */
  for (int i = 0; i < w->nplant; i++) {
    out_str (&o, "OX-GHOST-S");
    out_uint (&o, (uint64_t) i + 1, 1);
    out_ch (&o, ',');
    out_id (&o, "R", (uint64_t) w->field_reps[0], w->wrep);
    out_str (&o, ",1");
    out_eol (&o);
  }
  finish (&o);
}

static void
write_receipts (World *w, const char *dir)
{
  Out o;
  out_open (&o, dir, "receipts.csv");
  out_str (&o, "receipt_id,order_id,received_on,amount");
  out_eol (&o);
  const Rcpt *rc = (const Rcpt *) w->rcpts->data;
  for (guint i = 0; i < w->rcpts->len; i++) {
    out_id (&o, "RC", (uint64_t) i + 1, w->wrc);
    out_ch (&o, ',');
    out_id (&o, "O", (uint64_t) rc[i].order + 1, w->word);
    out_ch (&o, ',');
    out_date (&o, rc[i].day);
    out_ch (&o, ',');
    out_cents (&o, rc[i].amount);
    out_eol (&o);
  }
  for (guint i = 0; i < w->prcpts->len; i++) {
    const PlantRcpt *pr = &g_array_index (w->prcpts, PlantRcpt, i);
    out_str (&o, pr->id);
    out_ch (&o, ',');
    out_str (&o, pr->order);
    out_ch (&o, ',');
    out_date (&o, pr->day);
    out_ch (&o, ',');
    out_cents (&o, pr->amount);
    out_eol (&o);
  }
  finish (&o);
}

static void
write_activities (World *w, Rng *r, const char *dir)
{
  Out o;
  out_open (&o, dir, "activities.csv");
  out_str (&o, "rep_id,period,metric,value");
  out_eol (&o);
  char per[8];
  for (int i = 0; i < w->nreps; i++) {
    const Rep *rp = &w->reps[i];
    for (int m = RUN0; m < RUN0 + NRUN; m++) {
      period_str (m, per);
      if (rpm (r) < 5)
        continue;  /* no activity reported at all this month */
      /* metrics in name order: cases_contributed, demo_completion_rate, nps, quality_visits */
      for (int k = 0; k < 4; k++) {
        if (rp->role != ROLE_FIELD && k != 3)
          continue;
        if (rpm (r) < 10)
          continue;  /* one metric missing */
        out_id (&o, "R", (uint64_t) i, w->wrep);
        out_ch (&o, ',');
        out_str (&o, per);
        switch (k) {
        case 0: {
          static const int CC[] = {0, 1, 1, 2, 2, 2, 3, 4};
          out_str (&o, ",cases_contributed,");
          out_uint (&o, (uint64_t) CC[rbelow (r, 8)], 1);
          break;
        }
        case 1:
          out_str (&o, ",demo_completion_rate,");
          out_cents (&o, rrange (r, 50, 100));
          break;
        case 2:
          out_str (&o, ",nps,");
          out_int (&o, rpm (r) < 15 ? rrange (r, -30, 10) : rrange (r, 22, 88));
          break;
        default:
          out_str (&o, ",quality_visits,");
          out_uint (&o, (uint64_t) (rp->role == ROLE_FIELD ? rrange (r, 18, 62) : rrange (r, 6, 20)), 1);
          break;
        }
        out_eol (&o);
      }
    }
  }
  /* UNKNOWN_REP: activity rows of reps that do not exist */
  for (int m = RUN0; m < RUN0 + NRUN; m++) {
    period_str (m, per);
    for (int i = 0; i < w->nplant; i++) {
      out_str (&o, "R-GHOST-ACT-");
      out_uint (&o, (uint64_t) i + 1, 1);
      out_ch (&o, ',');
      out_str (&o, per);
      out_str (&o, ",quality_visits,");
      out_uint (&o, (uint64_t) rrange (r, 10, 50), 1);
      out_eol (&o);
    }
  }
  finish (&o);
}

static void
write_quotas (World *w, Rng *r, const char *dir)
{
  Out o;
  out_open (&o, dir, "quotas.csv");
  out_str (&o, "rep_id,period,quota");
  out_eol (&o);
  char per[8];
  for (int i = 0; i < w->nreps; i++) {
    /* the rep's typical month, for months without credits */
    int64_t sum = 0;
    int nm = 0;
    for (int k = 0; k < NQM; k++)
      if (w->credit[i * NQM + k] > 0) {
        sum += w->credit[i * NQM + k];
        nm++;
      }
    int64_t typical = nm ? sum / nm : 0;
    for (int k = 0; k < NQM; k++) {
      int m = QM0 + k;
      period_str (m, per);
      uint8_t probe = w->no_quota[i * NQM + k];
      if (probe == 1)
        continue;  /* NO_QUOTA */
      int64_t c = w->credit[i * NQM + k];
      if (c <= 0)
        c = typical;
      /* weighted credit runs ~1.25 × collections; attainment ~0.75 .. 1.35 */
      int64_t q = c * 125 / 100 * 100 / rrange (r, 75, 135);
      q = (q + 5000) / 10000 * 100;  /* whole hundreds, in currency units */
      if (q < 5000)
        q = 5000;
      out_id (&o, "R", (uint64_t) i, w->wrep);
      out_ch (&o, ',');
      out_str (&o, per);
      out_ch (&o, ',');
      if (probe == 2)
        out_str (&o, "0");  /* BAD_QUOTA */
      else if (probe == 3)
        out_str (&o, "-5000.00");  /* BAD_QUOTA */
      else if (rpm (r) < 20)
        out_cents (&o, q * 100 + 50);  /* an odd quota with cents */
      else
        out_int (&o, q);
      out_eol (&o);
    }
  }
  /* UNKNOWN_REP: quota rows of reps that do not exist */
  for (int m = RUN0; m < RUN0 + NRUN; m++) {
    period_str (m, per);
    for (int i = 0; i < w->nplant; i++) {
      out_str (&o, "R-GHOST-Q-");
      out_uint (&o, (uint64_t) i + 1, 1);
      out_ch (&o, ',');
      out_str (&o, per);
      out_str (&o, ",250000");
      out_eol (&o);
    }
  }
  finish (&o);
}

static void
write_adjustments (World *w, Rng *r, const char *dir)
{
  static const char *const REASON[] = {
    "Hospital congress booth staffing",
    "Trade-in program bonus",
    "Referral spiff: 杭州 imaging tender",
    "Clawback: demo unit not returned",
    "Mileage true-up (half-cent: half-even)",
    "Inside-sales call blitz, \"Summer Push\" winner",
    "New-hire ramp guarantee",
    "Correction of a mis-keyed split, see ticket 4711",
    "",
  };
  Out o;
  out_open (&o, dir, "adjustments.csv");
  out_str (&o, "adjustment_id,rep_id,period,amount,reason");
  out_eol (&o);
  char per[8];
  int per_month = w->nreps / 60;
  if (per_month < 2)
    per_month = 2;
  for (int m = RUN0; m < RUN0 + NRUN; m++) {
    period_str (m, per);
    int seq = 0;
    int total = per_month + w->nplant / 2 + 1;
    for (int i = 0; i < total; i++) {
      out_str (&o, "ADJ-");
      out_mem (&o, per + 2, 2);
      out_mem (&o, per + 5, 2);
      out_ch (&o, '-');
      out_uint (&o, (uint64_t) ++seq, 4);
      out_ch (&o, ',');
      if (i >= per_month) {
        out_str (&o, "R-GHOST-ADJ-");  /* UNKNOWN_REP */
        out_uint (&o, (uint64_t) i - (uint64_t) per_month + 1, 1);
      } else {
        out_id (&o, "R", (uint64_t) rbelow (r, (uint32_t) w->nreps), w->wrep);
      }
      out_ch (&o, ',');
      out_str (&o, per);
      out_ch (&o, ',');
      const char *reason = PICK (r, REASON);
      switch (i) {
      case 0:
        out_str (&o, "12.345");  /* half-even → 12.34 */
        reason = "Mileage true-up (half-cent: half-even gives 12.34)";
        break;
      case 1:
        out_str (&o, "-0.005");  /* rounds to 0.00, never -0.00 */
        reason = "Rounding probe: -0.005";
        break;
      case 2:
        out_str (&o, "-40.005");
        break;
      default: {
        int64_t c = rrange (r, 5000, 300000);
        if (rpm (r) < 150)
          c = -c;
        out_cents (&o, c);
        break;
      }
      }
      out_ch (&o, ',');
      out_text (&o, reason);
      out_eol (&o);
    }
  }
  finish (&o);
}

/* ------------------------------------------------------------------------ */
/* Plans                                                                     */
/* ------------------------------------------------------------------------ */

static const char PLAN_FIELD_V1[] =
  "{\n"
  "  \"plan\": \"field\",\n"
  "  \"version\": 1,\n"
  "  \"effective_from\": \"2025-01-01\",\n"
  "  \"effective_to\": \"2026-04-30\",\n"
  "  \"currency\": \"CNY\",\n"
  "  \"credit\": {\n"
  "    \"eligible_status\": [\"signed\", \"paid\", \"completed\", \"cancelled\"],\n"
  "    \"multipliers\": [\n"
  "      {\"id\": \"new_customer\",    \"factor\": \"1.3\", \"lookback_days\": 365},\n"
  "      {\"id\": \"high_margin\",     \"factor\": \"1.2\", \"min_margin_rate\": \"0.35\"},\n"
  "      {\"id\": \"fast_collection\", \"factor\": \"1.1\", \"max_days\": 60}\n"
  "    ]\n"
  "  },\n"
  "  \"commission\": {\n"
  "    \"mode\": \"marginal\",\n"
  "    \"tiers\": [\n"
  "      {\"from\": \"0\",   \"rate\": \"0.03\"},\n"
  "      {\"from\": \"1.0\", \"rate\": \"0.05\"},\n"
  "      {\"from\": \"1.5\", \"rate\": \"0.07\"}\n"
  "    ],\n"
  "    \"cap\": \"120000\"\n"
  "  },\n"
  "  \"score\": {\n"
  "    \"process_weight\": \"0.4\",\n"
  "    \"result_weight\": \"0.6\",\n"
  "    \"process\": [\n"
  "      {\"metric\": \"quality_visits\",       \"target\": \"40\",  \"weight\": \"0.5\", \"cap\": \"1.2\"},\n"
  "      {\"metric\": \"demo_completion_rate\", \"target\": \"0.8\", \"weight\": \"0.3\", \"cap\": \"1.2\"},\n"
  "      {\"metric\": \"cases_contributed\",    \"target\": \"2\",   \"weight\": \"0.2\", \"cap\": \"1.5\"}\n"
  "    ],\n"
  "    \"result\": [\n"
  "      {\"measure\": \"attainment\", \"weight\": \"0.7\", \"cap\": \"1.5\"},\n"
  "      {\"metric\": \"nps\", \"target\": \"60\", \"weight\": \"0.3\", \"cap\": \"1.2\"}\n"
  "    ]\n"
  "  },\n"
  "  \"bonuses\": [\n"
  "    {\"id\": \"q_sprint\",    \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1.0\", \"amount\": \"6000\"},\n"
  "    {\"id\": \"score_bonus\", \"kind\": \"score\",            \"target_amount\": \"3000\", \"min_score\": \"60\"}\n"
  "  ],\n"
  "  \"appeals\": {\"window_hours\": 72, \"reviewers\": 2}\n"
  "}\n";

static const char PLAN_FIELD_V2[] =
  "{\n"
  "  \"plan\": \"field\",\n"
  "  \"version\": 2,\n"
  "  \"effective_from\": \"2026-05-01\",\n"
  "  \"currency\": \"CNY\",\n"
  "  \"credit\": {\n"
  "    \"eligible_status\": [\"signed\", \"paid\", \"completed\", \"cancelled\"],\n"
  "    \"multipliers\": [\n"
  "      {\"id\": \"new_customer\",    \"factor\": \"1.5\",  \"lookback_days\": 365},\n"
  "      {\"id\": \"high_margin\",     \"factor\": \"1.25\", \"min_margin_rate\": \"0.4\"},\n"
  "      {\"id\": \"fast_collection\", \"factor\": \"1.1\",  \"max_days\": 45}\n"
  "    ]\n"
  "  },\n"
  "  \"commission\": {\n"
  "    \"mode\": \"marginal\",\n"
  "    \"tiers\": [\n"
  "      {\"from\": \"0\",   \"rate\": \"0.025\"},\n"
  "      {\"from\": \"0.8\", \"rate\": \"0.045\"},\n"
  "      {\"from\": \"1.2\", \"rate\": \"0.065\"}\n"
  "    ],\n"
  "    \"cap\": \"150000\"\n"
  "  },\n"
  "  \"score\": {\n"
  "    \"process_weight\": \"0.35\",\n"
  "    \"result_weight\": \"0.65\",\n"
  "    \"process\": [\n"
  "      {\"metric\": \"quality_visits\",       \"target\": \"45\",   \"weight\": \"0.45\", \"cap\": \"1.2\"},\n"
  "      {\"metric\": \"demo_completion_rate\", \"target\": \"0.85\", \"weight\": \"0.35\", \"cap\": \"1.2\"},\n"
  "      {\"metric\": \"cases_contributed\",    \"target\": \"2\",    \"weight\": \"0.2\",  \"cap\": \"1.5\"}\n"
  "    ],\n"
  "    \"result\": [\n"
  "      {\"measure\": \"attainment\", \"weight\": \"0.75\", \"cap\": \"1.5\"},\n"
  "      {\"metric\": \"nps\", \"target\": \"65\", \"weight\": \"0.25\", \"cap\": \"1.2\"}\n"
  "    ]\n"
  "  },\n"
  "  \"bonuses\": [\n"
  "    {\"id\": \"q_sprint\",    \"kind\": \"quarterly_sprint\", \"min_attainment\": \"1.0\", \"amount\": \"8000\"},\n"
  "    {\"id\": \"score_bonus\", \"kind\": \"score\",            \"target_amount\": \"3500\", \"min_score\": \"65\"}\n"
  "  ],\n"
  "  \"appeals\": {\"window_hours\": 72, \"reviewers\": 2}\n"
  "}\n";

static const char PLAN_LEAD_V1[] =
  "{\n"
  "  \"plan\": \"lead\",\n"
  "  \"version\": 1,\n"
  "  \"effective_from\": \"2025-01-01\",\n"
  "  \"effective_to\": null,\n"
  "  \"currency\": \"CNY\",\n"
  "  \"credit\": {\n"
  "    \"eligible_status\": [\"signed\", \"paid\", \"completed\", \"cancelled\"],\n"
  "    \"multipliers\": [\n"
  "      {\"id\": \"new_customer\",    \"factor\": \"1.2\",  \"lookback_days\": 365},\n"
  "      {\"id\": \"fast_collection\", \"factor\": \"1.05\", \"max_days\": 30}\n"
  "    ]\n"
  "  },\n"
  "  \"commission\": {\n"
  "    \"mode\": \"retroactive\",\n"
  "    \"tiers\": [\n"
  "      {\"from\": \"0\",   \"rate\": \"0.01\"},\n"
  "      {\"from\": \"0.9\", \"rate\": \"0.015\"},\n"
  "      {\"from\": \"1.1\", \"rate\": \"0.02\"}\n"
  "    ]\n"
  "  },\n"
  "  \"override\": {\"rate\": \"0.05\"},\n"
  "  \"bonuses\": [\n"
  "    {\"id\": \"q_sprint\", \"kind\": \"quarterly_sprint\", \"min_attainment\": \"0.9\", \"amount\": \"10000\"}\n"
  "  ],\n"
  "  \"appeals\": {\"window_hours\": 72, \"reviewers\": 2}\n"
  "}\n";

static void
write_file (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  GError *err = NULL;
  if (!g_file_set_contents (path, text, -1, &err))
    die ("%s", err->message);
  g_free (path);
}

/* ------------------------------------------------------------------------ */
/* main                                                                      */
/* ------------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  gint reps = 500, orders = 100000;
  gint64 seed = 42;
  gchar *out = NULL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    {"reps", 0, 0, G_OPTION_ARG_INT, &reps, "Number of reps (default 500)", "N"},
    {"orders", 0, 0, G_OPTION_ARG_INT, &orders, "Number of orders (default 100000)", "N"},
    {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "PRNG seed (default 42)", "N"},
    {"out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Output directory (gets data/ and plans/)", "DIR"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing on success", NULL},
    G_OPTION_ENTRY_NULL};
  GOptionContext *ctx = g_option_context_new ("— write a synthetic quotient data set");
  g_option_context_set_summary (
    ctx, "Writes DIR/data/*.csv and DIR/plans/*.json: a deterministic synthetic data set\n"
         "(SPEC §2, §3) for benchmarks; the same arguments give the same bytes.\n"
         "Run months 2026-04..2026-07, history 2025-04..2026-03, measure 2026-06.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  GError *err = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fprintf (stderr, "qt_bench_gen: %s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (!out || argc > 1) {
    fprintf (stderr, "qt_bench_gen: usage: qt_bench_gen [--reps N] [--orders N] [--seed N] --out DIR\n");
    return 2;
  }
  if (reps < 10 || reps > 10000000 || orders < 1000 || orders > 100000000) {
    fprintf (stderr, "qt_bench_gen: need 10 <= reps and 1000 <= orders (got %d, %d)\n", reps, orders);
    return 2;
  }
  gint64 t0 = g_get_monotonic_time ();

  calendar_init ();
  World *w = g_new0 (World, 1);
  w->seed = (uint64_t) seed;
  w->nreps = reps;
  w->norders = orders;
  w->cutoff = day_of (2026, 7, 31);
  w->hist_start = day_of (2025, 4, 1);
  w->nplant = 2 + orders / 200000;

  Rng r;
  rng_seed (&r, w->seed, 1);
  make_reps (w, &r);
  make_customers (w, &r);
  make_products (w, &r);
  w->wrep = digits ((uint64_t) reps - 1) < 4 ? 4 : digits ((uint64_t) reps - 1);
  w->wteam = digits ((uint64_t) w->nteams) < 3 ? 3 : digits ((uint64_t) w->nteams);
  w->wcust = digits ((uint64_t) w->ncust) < 5 ? 5 : digits ((uint64_t) w->ncust);
  w->word = digits ((uint64_t) orders) < 7 ? 7 : digits ((uint64_t) orders);

  /* planted orders count against --orders: orders.csv has exactly N rows */
  int planted_orders = NRUN * w->nplant * 8;
  w->norders = orders - planted_orders;
  w->credit = g_new0 (int64_t, (gsize) reps * NQM);
  w->ncredit = g_new0 (int32_t, (gsize) reps * NQM);
  Rng ro;
  rng_seed (&ro, w->seed, 2);
  make_orders (w, &ro);
  w->wrc = digits (w->rcpts->len) < 7 ? 7 : digits (w->rcpts->len);

  Rng rp;
  rng_seed (&rp, w->seed, 3);
  make_quota_probes (w, &rp);
  make_planted (w, &rp);
  g_assert ((int) w->porders->len == planted_orders);

  char *data = g_build_filename (out, "data", NULL);
  char *plans = g_build_filename (out, "plans", NULL);
  if (g_mkdir_with_parents (data, 0755) != 0 || g_mkdir_with_parents (plans, 0755) != 0)
    die ("cannot create directories under %s", out);

  Rng rw;
  rng_seed (&rw, w->seed, 4);
  write_reps (w, data);
  write_customers (w, data);
  write_products (w, data);
  write_orders (w, data);
  write_splits (w, data);
  write_receipts (w, data);
  write_activities (w, &rw, data);
  write_quotas (w, &rw, data);
  write_adjustments (w, &rw, data);
  write_file (plans, "field-v1.json", PLAN_FIELD_V1);
  write_file (plans, "field-v2.json", PLAN_FIELD_V2);
  write_file (plans, "lead-v1.json", PLAN_LEAD_V1);

  if (!quiet) {
    uint64_t tb = 0;
    printf ("%-18s %12s %14s\n", "file", "rows", "bytes");
    for (int i = 0; i < nstats; i++) {
      printf ("%-18s %12" PRIu64 " %14" PRIu64 "\n", stats[i].name, stats[i].rows, stats[i].bytes);
      tb += stats[i].bytes;
    }
    uint64_t in_p = 0;
    const Rcpt *rc = (const Rcpt *) w->rcpts->data;
    for (guint i = 0; i < w->rcpts->len; i++)
      if (month_of_day[rc[i].day] == MEASURED)
        in_p++;
    for (guint i = 0; i < w->prcpts->len; i++)
      if (month_of_day[g_array_index (w->prcpts, PlantRcpt, i).day] == MEASURED)
        in_p++;
    printf ("%-18s %12s %14" PRIu64 "\n", "total", "", tb);
    printf ("reps %d (teams %d), customers %d, products %d; receipts in 2026-06: %" PRIu64
            "; planted rows per kind and run month: %d\n",
            reps, w->nteams, w->ncust, w->nprod, in_p, w->nplant);
    printf ("generated in %.2f s\n", (double) (g_get_monotonic_time () - t0) / 1e6);
  }
  world_free (w);
  g_free (data);
  g_free (plans);
  g_free (out);
  return 0;
}
