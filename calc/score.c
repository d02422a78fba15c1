/* calc/score.c — SPEC §4.8 and §12.8: item = min(value / target, cap). */
#include "score.h"

#include <string.h>

#include "../model/money.h"

static const QtActivity *
find_activity (const char *metric, const QtActivity *const *acts, guint n_acts)
{
  for (guint i = 0; i < n_acts; i++)
    if (strcmp (acts[i]->metric, metric) == 0)
      return acts[i];
  return NULL;
}

static void
score_item (const QtScoreItem *item, const QtNumStore *nums, const QtActivity *const *acts,
            guint n_acts, const mpq_t attainment, QtScoreLine *line)
{
  line->item = item;
  mpq_inits (line->value, line->ratio, line->score, line->contribution, NULL);
  if (item->is_attainment)
    {
      /* SPEC §12.2.4: max(A, 0), divided by target when one is given. */
      if (mpq_sgn (attainment) > 0)
        mpq_set (line->value, attainment);
    }
  else
    {
      const QtActivity *a = find_activity (item->metric, acts, n_acts);
      line->missing = a == NULL;
      if (a != NULL)
        qt_num_get (nums, a->value, line->value);
    }
  mpq_set (line->ratio, line->value);
  if (item->has_target)
    mpq_div (line->ratio, line->ratio, item->target);
  mpq_set (line->score, line->ratio);
  if (item->has_cap && mpq_cmp (line->score, item->cap) > 0)
    {
      mpq_set (line->score, item->cap);
      line->capped = TRUE;
    }
  mpq_mul (line->contribution, line->score, item->weight);
}

void
qt_score_compute (const QtPlanVersion *plan, const QtNumStore *nums,
                  const QtActivity *const *acts, guint n_acts, QtRepResult *out)
{
  mpq_set_ui (out->process, 0, 1);
  mpq_set_ui (out->result, 0, 1);
  mpq_set_ui (out->total, 0, 1);
  mpq_set_ui (out->process_score, 0, 1);
  mpq_set_ui (out->result_score, 0, 1);
  out->n_score_lines = 0;
  if (!plan->has_score)
    return;
  out->n_score_lines = plan->n_process + plan->n_result;
  out->score_lines = g_new0 (QtScoreLine, out->n_score_lines);
  for (guint i = 0; i < out->n_score_lines; i++)
    {
      gboolean is_process = i < plan->n_process;
      const QtScoreItem *item = is_process ? &plan->process[i] : &plan->result[i - plan->n_process];
      QtScoreLine *line = &out->score_lines[i];
      line->is_process = is_process;
      score_item (item, nums, acts, n_acts, out->attainment, line);
      mpq_ptr sum = is_process ? out->process : out->result;
      mpq_add (sum, sum, line->contribution);
    }
  /* total = 100 × (process_weight × process + result_weight × result) */
  g_auto (mpq_t) part;
  mpq_init (part);
  mpq_mul (out->total, plan->process_weight, out->process);
  mpq_mul (part, plan->result_weight, out->result);
  mpq_add (out->total, out->total, part);
  mpq_set_ui (part, 100, 1);
  mpq_mul (out->total, out->total, part);
  /* SPEC §5 scores.csv: process and result as fractions × 100 */
  mpq_mul (out->process_score, out->process, part);
  mpq_mul (out->result_score, out->result, part);
}
