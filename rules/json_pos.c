/* rules/json_pos.c — strict JSON over cJSON: positions by path, duplicate keys. */
#include "rules/json_pos.h"

#include <string.h>

#include "model/qt_error.h"

/* A second pass over text that cJSON has already accepted, so the scanner can
 * trust the overall shape and only adds what cJSON lacks: positions, key
 * uniqueness and the strict RFC 8259 details cJSON lets through. */
typedef struct {
  const char *text;
  gsize len;
  gsize i;         /* next byte */
  guint line;      /* line of byte i */
  guint column;    /* column of byte i, in code points */
  GHashTable *pos; /* borrowed from the document */
} Scanner;

static void
advance (Scanner *s)
{
  const guchar c = (guchar) s->text[s->i++];
  if (c == '\n')
    {
      s->line++;
      s->column = 1;
    }
  else if ((c & 0xC0) != 0x80)
    s->column++; /* continuation bytes belong to the code point before */
}

static QtJsonPos
here (const Scanner *s)
{
  return (QtJsonPos){ .line = s->line, .column = s->column, .offset = s->i };
}

static char
peek (const Scanner *s)
{
  return s->i < s->len ? s->text[s->i] : '\0';
}

static gboolean
fail_at (QtJsonPos pos, const char *path, GError **error, const char *what)
{
  if (path != NULL && *path != '\0')
    g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%u:%u: %s: %s",
                 pos.line, pos.column, path, what);
  else
    g_set_error (error, QT_ERROR, QT_ERROR_MALFORMED, "%u:%u: %s",
                 pos.line, pos.column, what);
  return FALSE;
}

/* cJSON skips every byte <= 32 as white space; JSON allows only four. */
static gboolean
skip_ws (Scanner *s, GError **error)
{
  for (;;)
    {
      const char c = peek (s);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        advance (s);
      else if (c != '\0' && (guchar) c < 0x20)
        return fail_at (here (s), NULL, error, "invalid JSON: control character");
      else
        return TRUE;
    }
}

static gunichar
read_hex4 (Scanner *s)
{
  gunichar u = 0;
  for (int k = 0; k < 4; k++)
    {
      u = u * 16 + (gunichar) g_ascii_xdigit_value (peek (s));
      advance (s);
    }
  return u;
}

/* After `\u`: one code point, joining a surrogate pair (cJSON has checked
 * that pairs are complete). */
static gunichar
read_escaped_unichar (Scanner *s)
{
  const gunichar hi = read_hex4 (s);
  if (hi < 0xD800 || hi > 0xDBFF)
    return hi;
  advance (s); /* '\\' */
  advance (s); /* 'u' */
  const gunichar lo = read_hex4 (s);
  return 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
}

/* Scans a string starting at its quote; decodes it into `out` when given
 * (only keys need their text).  Raw control characters are not JSON; an
 * escaped NUL is, but cJSON's C strings would end there and silently drop
 * the rest ("C\u0000NY" would pay in "C"), so it is refused at `path`. */
static gboolean
scan_string (Scanner *s, const char *path, GString *out, GError **error)
{
  const QtJsonPos start = here (s);
  advance (s); /* opening quote */
  for (char c = peek (s); c != '"'; c = peek (s))
    {
      if ((guchar) c < 0x20)
        return fail_at (here (s), NULL, error,
                        "invalid JSON: control character in a string");
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, c);
          advance (s);
          continue;
        }
      advance (s);
      const char e = peek (s);
      advance (s);
      gunichar u;
      switch (e)
        {
        case 'b': u = '\b'; break;
        case 'f': u = '\f'; break;
        case 'n': u = '\n'; break;
        case 'r': u = '\r'; break;
        case 't': u = '\t'; break;
        case 'u':
          u = read_escaped_unichar (s);
          if (u == 0)
            return fail_at (start, path, error,
                            "a string must not hold \\u0000 (the text would be cut short there)");
          break;
        default: u = (gunichar) e; break; /* '"', '\\', '/' */
        }
      if (out != NULL)
        g_string_append_unichar (out, u);
    }
  advance (s); /* closing quote */
  return TRUE;
}

/* RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * cJSON hands any number to the C library parser, so `01`, `1.` and `-.5` get through it. */
static gboolean
is_json_number (const char *t, gsize n)
{
  gsize i = 0;
  if (i < n && t[i] == '-')
    i++;
  if (i < n && t[i] == '0')
    i++;
  else if (i < n && t[i] >= '1' && t[i] <= '9')
    while (i < n && g_ascii_isdigit (t[i]))
      i++;
  else
    return FALSE;
  if (i < n && t[i] == '.')
    {
      const gsize start = ++i;
      while (i < n && g_ascii_isdigit (t[i]))
        i++;
      if (i == start)
        return FALSE;
    }
  if (i < n && (t[i] == 'e' || t[i] == 'E'))
    {
      i++;
      if (i < n && (t[i] == '+' || t[i] == '-'))
        i++;
      const gsize start = i;
      while (i < n && g_ascii_isdigit (t[i]))
        i++;
      if (i == start)
        return FALSE;
    }
  return i == n;
}

/* For a valid JSON number, the power of ten of its first significant digit
 * plus one (1 for 1–9.9, 3 for 123, -1 for 0.01); G_MININT64 / 2 for zero.
 * Integer arithmetic only, the exponent clamped so it cannot overflow. */
static gint64
decimal_magnitude (const char *t, gsize n)
{
  gsize i = (t[0] == '-') ? 1 : 0;
  gint64 int_digits = 0, leading_frac_zeros = 0;
  gboolean seen_nonzero = FALSE;
  for (; i < n && g_ascii_isdigit (t[i]); i++)
    if (seen_nonzero || t[i] != '0')
      {
        seen_nonzero = TRUE;
        int_digits++;
      }
  if (i < n && t[i] == '.')
    for (i++; i < n && g_ascii_isdigit (t[i]); i++)
      {
        if (!seen_nonzero && t[i] == '0')
          leading_frac_zeros++;
        else
          seen_nonzero = TRUE;
      }
  gint64 exp = 0, sign = 1;
  if (i < n && (t[i] == 'e' || t[i] == 'E'))
    {
      i++;
      if (t[i] == '+' || t[i] == '-')
        sign = t[i++] == '-' ? -1 : 1;
      for (; i < n; i++)
        exp = MIN (exp * 10 + (t[i] - '0'), (gint64) 1 << 40);
    }
  if (!seen_nonzero)
    return G_MININT64 / 2;
  gint64 base = int_digits > 0 ? int_digits : -leading_frac_zeros;
  return base + sign * exp;
}

/* A number, true, false or null. */
static gboolean
scan_scalar (Scanner *s, const char *path, GError **error)
{
  const QtJsonPos start = here (s);
  const gboolean number = peek (s) == '-' || g_ascii_isdigit (peek (s));
  while (strchr ("+-.eE0123456789abcdefghijklmnopqrstuvwxyz", peek (s)) != NULL
         && peek (s) != '\0')
    advance (s);
  if (!number)
    return TRUE; /* cJSON has matched true, false or null exactly */

  const char *lit = s->text + start.offset;
  const gsize n = s->i - start.offset;
  if (!is_json_number (lit, n))
    return fail_at (start, path, error, "invalid JSON number");
  /* cJSON turns 1e400 into infinity: refuse magnitudes of 1e308 and up. */
  if (decimal_magnitude (lit, n) > 308)
    return fail_at (start, path, error, "number out of range");
  return TRUE;
}

/* A key makes an unambiguous path segment unless it could be read as path
 * syntax (or is cut short at a NUL, as cJSON does). */
static gboolean
key_is_plain (const GString *key)
{
  return key->len > 0 && strlen (key->str) == key->len
         && strpbrk (key->str, ".[]") == NULL;
}

static gboolean scan_value (Scanner *s, const char *path, gboolean record, GError **error);

static gboolean
scan_object (Scanner *s, const char *path, gboolean record, GError **error)
{
  /* Keys as cJSON sees them (C strings): owned. */
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  advance (s); /* '{' */
  if (!skip_ws (s, error))
    return FALSE;
  if (peek (s) == '}')
    {
      advance (s);
      return TRUE;
    }
  for (;;)
    {
      if (!skip_ws (s, error))
        return FALSE;
      const QtJsonPos key_pos = here (s);
      g_autoptr(GString) key = g_string_new (NULL);
      if (!scan_string (s, path, key, error))
        return FALSE;
      g_autofree char *child = qt_json_path_member (path, key->str);
      /* SPEC §12.2.2: cJSON would keep both and find only the first. */
      if (!g_hash_table_add (seen, g_strdup (key->str)))
        return fail_at (key_pos, child, error, "duplicate key");
      if (!skip_ws (s, error))
        return FALSE;
      advance (s); /* ':' */
      if (!skip_ws (s, error)
          || !scan_value (s, child, record && key_is_plain (key), error)
          || !skip_ws (s, error))
        return FALSE;
      const char c = peek (s);
      advance (s); /* ',' or '}' */
      if (c == '}')
        return TRUE;
    }
}

static gboolean
scan_array (Scanner *s, const char *path, gboolean record, GError **error)
{
  advance (s); /* '[' */
  if (!skip_ws (s, error))
    return FALSE;
  if (peek (s) == ']')
    {
      advance (s);
      return TRUE;
    }
  for (guint index = 0;; index++)
    {
      g_autofree char *child = qt_json_path_index (path, index);
      if (!skip_ws (s, error)
          || !scan_value (s, child, record, error)
          || !skip_ws (s, error))
        return FALSE;
      const char c = peek (s);
      advance (s); /* ',' or ']' */
      if (c == ']')
        return TRUE;
    }
}

/* Scans one value at s->i, recording its position under `path` when
 * `record`.  Recursion depth is bounded by cJSON's nesting limit. */
static gboolean
scan_value (Scanner *s, const char *path, gboolean record, GError **error)
{
  if (record)
    {
      QtJsonPos *pos = g_new (QtJsonPos, 1);
      *pos = here (s);
      g_hash_table_insert (s->pos, g_strdup (path), pos);
    }
  switch (peek (s))
    {
    case '{':
      return scan_object (s, path, record, error);
    case '[':
      return scan_array (s, path, record, error);
    case '"':
      return scan_string (s, path, NULL, error);
    default:
      return scan_scalar (s, path, error);
    }
}

static QtJsonPos
pos_of_offset (const char *text, gsize offset)
{
  Scanner s = { .text = text, .len = offset, .line = 1, .column = 1 };
  while (s.i < offset)
    advance (&s);
  return here (&s);
}

QtJsonDoc *
qt_json_doc_parse (const char *text, gsize len, GError **error)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An editor shows the character after a BOM in column 1. */
  if (len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      len -= 3;
    }
  const char *bad = NULL;
  if (!g_utf8_validate_len (text, len, &bad))
    {
      fail_at (pos_of_offset (text, (gsize) (bad - text)), NULL, error,
               "invalid UTF-8 or NUL byte");
      return NULL;
    }

  g_autoptr(QtJsonDoc) doc = g_new0 (QtJsonDoc, 1);
  doc->text = g_strndup (text, len);
  doc->len = len;
  doc->pos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* len + 1 takes the terminating NUL in, which require_null_terminated
   * looks for; the end pointer (not cJSON_GetErrorPtr, a global shared by
   * all threads) tells where parsing stopped. */
  const char *end = NULL;
  doc->root = cJSON_ParseWithLengthOpts (doc->text, len + 1, &end, TRUE);
  if (doc->root == NULL)
    {
      const gsize offset = end != NULL ? MIN ((gsize) (end - doc->text), len) : 0;
      fail_at (pos_of_offset (doc->text, offset), NULL, error, "invalid JSON");
      return NULL;
    }

  Scanner s = { .text = doc->text, .len = len, .line = 1, .column = 1, .pos = doc->pos };
  if (!skip_ws (&s, error) || !scan_value (&s, "", TRUE, error))
    return NULL;
  return g_steal_pointer (&doc);
}

void
qt_json_doc_free (QtJsonDoc *doc)
{
  if (doc == NULL)
    return;
  cJSON_Delete (doc->root);
  g_clear_pointer (&doc->pos, g_hash_table_unref);
  g_free (doc->text);
  g_free (doc);
}

QtJsonPos
qt_json_doc_pos (const QtJsonDoc *doc, const char *path)
{
  g_return_val_if_fail (doc != NULL && path != NULL, ((QtJsonPos){ 1, 1, 0 }));

  const QtJsonPos *pos = g_hash_table_lookup (doc->pos, path);
  return pos != NULL ? *pos : (QtJsonPos){ .line = 1, .column = 1, .offset = 0 };
}

gboolean
qt_json_doc_integer (const QtJsonDoc *doc, const char *path, gint64 *out)
{
  g_return_val_if_fail (doc != NULL && path != NULL && out != NULL, FALSE);

  const QtJsonPos *pos = g_hash_table_lookup (doc->pos, path);
  if (pos == NULL)
    return FALSE;
  const char *t = doc->text + pos->offset;
  gsize n = t[0] == '-' ? 1 : 0;
  const gsize digits = n;
  while (g_ascii_isdigit (t[n]))
    n++;
  if (n == digits || t[n] == '.' || t[n] == 'e' || t[n] == 'E')
    return FALSE;
  g_autofree char *lit = g_strndup (t, n);
  return g_ascii_string_to_signed (lit, 10, G_MININT64, G_MAXINT64, out, NULL);
}

const char *
qt_json_string_member (const cJSON *obj, const char *key)
{
  const cJSON *m = cJSON_GetObjectItemCaseSensitive (obj, key);
  return cJSON_IsString (m) ? m->valuestring : NULL;
}

cJSON *
qt_json_integer_new (gint64 v)
{
  char digits[24];
  g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, v);
  return cJSON_CreateRaw (digits);
}

char *
qt_json_path_member (const char *parent, const char *key)
{
  return *parent == '\0' ? g_strdup (key) : g_strconcat (parent, ".", key, NULL);
}

char *
qt_json_path_index (const char *parent, guint index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}
