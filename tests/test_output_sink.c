/* tests/test_output_sink.c — run/output_sink: a queue in front of a target
 * sink, with and without its thread: files reach the target once each, in
 * the order put, with their SHA-256; the first failure stops the rest and
 * is reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "../model/qt_error.h"
#include "../run/output_sink.h"

/* SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

typedef struct {
  QtOutputSink sink;
  GString *log;        /* "name=content;" per file handed on */
  const char *fail_on; /* name whose put fails, or NULL */
  guint calls;
} LogSink;

static gboolean
log_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  LogSink *ls = (LogSink *) sink;
  ls->calls++;
  if (g_strcmp0 (file->name, ls->fail_on) == 0)
    {
      g_set_error (error, QT_ERROR, QT_ERROR_IO, "%s:1:1: cannot write: disk full", file->name);
      return FALSE;
    }
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_string_append_printf (ls->log, "%s=%.*s;", file->name, (int) len, data);
  return TRUE;
}

static void
log_sink_init (LogSink *ls, const char *fail_on)
{
  qt_output_sink_init (&ls->sink, log_put);
  ls->log = g_string_new (NULL);
  ls->fail_on = fail_on;
  ls->calls = 0;
}

static void
log_sink_clear (LogSink *ls)
{
  qt_output_sink_clear (&ls->sink);
  g_string_free (ls->log, TRUE);
}

static GBytes *
bytes_of (const char *s)
{
  return g_bytes_new (s, strlen (s));
}

/* Puts many files, some large enough to make the caller wait for the
 * thread, and checks order, content and hashes. */
static void
put_many (gboolean threaded)
{
  LogSink ls;
  log_sink_init (&ls, NULL);
  QtSinkQueue *q = qt_sink_queue_new (&ls.sink, threaded);
  assert_int_equal (qt_sink_queue_is_threaded (q), threaded);
  g_autoptr (GString) want = g_string_new (NULL);
  g_autofree char *big = g_malloc (9u << 20);
  memset (big, 'x', 9u << 20);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%02u", i);
      g_autoptr (GBytes) bytes = i % 8 == 7 ? g_bytes_new (big, 9u << 20) : bytes_of ("abc");
      assert_true (qt_output_sink_put (&q->sink, name, bytes, -1, NULL, NULL));
      if (i % 8 != 7)
        g_string_append_printf (want, "%s=abc;", name);
      else
        g_string_append_printf (want, "%s=%.*s;", name, 9 << 20, big);
    }
  g_autoptr (GError) error = NULL;
  assert_true (qt_sink_queue_finish (q, &error));
  assert_null (error);
  assert_int_equal (ls.calls, 40);
  assert_int_equal (q->sink.files->len, 40);
  assert_true (ls.log->len == want->len && memcmp (ls.log->str, want->str, want->len) == 0);
  const QtOutputFile *f0 = g_ptr_array_index (q->sink.files, 0);
  assert_string_equal (f0->name, "f00");
  assert_string_equal (f0->sha256, ABC_SHA256);
  assert_int_equal (f0->size, 3);
  qt_sink_queue_free (q);
  log_sink_clear (&ls);
}

static void
test_inline_in_order (void **state)
{
  (void) state;
  put_many (FALSE);
}

static void
test_thread_in_order (void **state)
{
  (void) state;
  put_many (TRUE);
}

/* A known hash is kept, not recomputed; held bytes go through as well. */
static void
test_thread_keeps_given_hash (void **state)
{
  (void) state;
  LogSink ls;
  log_sink_init (&ls, NULL);
  QtSinkQueue *q = qt_sink_queue_new (&ls.sink, TRUE);
  g_autoptr (GBytes) bytes = bytes_of ("abc");
  assert_true (qt_output_sink_put_held (&q->sink, "in.csv", bytes, 0, "given", NULL));
  assert_true (qt_output_sink_put (&q->sink, "out.csv", bytes, 0, NULL, NULL));
  assert_true (qt_sink_queue_finish (q, NULL));
  const QtOutputFile *in = q->sink.files->pdata[0], *out = q->sink.files->pdata[1];
  assert_string_equal (in->sha256, "given");
  assert_true (in->held);
  assert_string_equal (out->sha256, ABC_SHA256);
  assert_false (out->held);
  assert_string_equal (ls.log->str, "in.csv=abc;out.csv=abc;");
  /* Finished: further files are handed on at once. */
  assert_true (qt_output_sink_put (&q->sink, "late", bytes, -1, NULL, NULL));
  assert_string_equal (ls.log->str, "in.csv=abc;out.csv=abc;late=abc;");
  assert_true (qt_sink_queue_finish (q, NULL));
  qt_sink_queue_free (q);
  log_sink_clear (&ls);
}

/* The first failure is the one reported; nothing after it is handed on,
 * and puts after it fail with the same message. */
static void
test_thread_first_error_stops (void **state)
{
  (void) state;
  LogSink ls;
  log_sink_init (&ls, "b");
  QtSinkQueue *q = qt_sink_queue_new (&ls.sink, TRUE);
  g_autoptr (GBytes) bytes = bytes_of ("abc");
  assert_true (qt_output_sink_put (&q->sink, "a", bytes, -1, NULL, NULL));
  assert_true (qt_output_sink_put (&q->sink, "b", bytes, -1, NULL, NULL));
  /* Wait until the thread has met the failure: a put then reports it. */
  g_autoptr (GError) put_error = NULL;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < 100000; i++)
    {
      ok = qt_output_sink_put (&q->sink, "c", bytes, -1, NULL, &put_error);
      if (ok)
        g_usleep (100);
    }
  assert_false (ok);
  assert_string_equal (put_error->message, "b:1:1: cannot write: disk full");
  g_autoptr (GError) error = NULL;
  assert_false (qt_sink_queue_finish (q, &error));
  assert_true (g_error_matches (error, QT_ERROR, QT_ERROR_IO));
  assert_string_equal (error->message, "b:1:1: cannot write: disk full");
  assert_string_equal (ls.log->str, "a=abc;");
  qt_sink_queue_free (q);
  log_sink_clear (&ls);
}

/* The same failure without a thread is reported by the put itself. */
static void
test_inline_error (void **state)
{
  (void) state;
  LogSink ls;
  log_sink_init (&ls, "b");
  QtSinkQueue *q = qt_sink_queue_new (&ls.sink, FALSE);
  g_autoptr (GBytes) bytes = bytes_of ("abc");
  g_autoptr (GError) error = NULL;
  assert_true (qt_output_sink_put (&q->sink, "a", bytes, -1, NULL, NULL));
  assert_false (qt_output_sink_put (&q->sink, "b", bytes, -1, NULL, &error));
  assert_string_equal (error->message, "b:1:1: cannot write: disk full");
  assert_true (qt_sink_queue_finish (q, NULL));
  qt_sink_queue_free (q);
  log_sink_clear (&ls);
}

/* Freeing a queue whose thread still has work finishes it first. */
static void
test_free_with_thread_running (void **state)
{
  (void) state;
  LogSink ls;
  log_sink_init (&ls, NULL);
  QtSinkQueue *q = qt_sink_queue_new (&ls.sink, TRUE);
  g_autoptr (GBytes) bytes = bytes_of ("abc");
  for (guint i = 0; i < 100; i++)
    assert_true (qt_output_sink_put (&q->sink, "x", bytes, -1, NULL, NULL));
  qt_sink_queue_free (q);
  assert_int_equal (ls.calls, 100);
  log_sink_clear (&ls);
}

/* A put that may run on two threads at once: only counts. */
static gint safe_calls;

static gboolean
count_put (QtOutputSink *sink, const QtOutputFile *file, GBytes *bytes, GError **error)
{
  (void) sink, (void) file, (void) bytes, (void) error;
  g_atomic_int_inc (&safe_calls);
  return TRUE;
}

/* A thread-safe target: the files still queued at the finish are handed
 * on by the caller's thread too, each exactly once. */
static void
test_threadsafe_target_finish (void **state)
{
  (void) state;
  QtOutputSink target;
  qt_output_sink_init (&target, count_put);
  target.put_threadsafe = TRUE;
  g_atomic_int_set (&safe_calls, 0);
  QtSinkQueue *q = qt_sink_queue_new (&target, TRUE);
  g_autoptr (GBytes) bytes = bytes_of ("abc");
  for (guint i = 0; i < 1000; i++)
    assert_true (qt_output_sink_put (&q->sink, "x", bytes, -1, NULL, NULL));
  assert_true (qt_sink_queue_finish (q, NULL));
  assert_int_equal (g_atomic_int_get (&safe_calls), 1000);
  assert_int_equal (q->sink.files->len, 1000);
  qt_sink_queue_free (q);
  qt_output_sink_clear (&target);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_inline_in_order),
    cmocka_unit_test (test_thread_in_order),
    cmocka_unit_test (test_thread_keeps_given_hash),
    cmocka_unit_test (test_thread_first_error_stops),
    cmocka_unit_test (test_inline_error),
    cmocka_unit_test (test_free_with_thread_running),
    cmocka_unit_test (test_threadsafe_target_finish),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
