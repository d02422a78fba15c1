# bench/lifecycle.sh — closing a month at scale, sourced by bench/run (it
# uses run's measure, fresh_cache, median, ratio2, mib, log and settings).
#
# On a fresh run of set S: publish, then APPEALS adjustment appeals (each by
# a different field rep who manages nobody, for 100.00), each assigned to
# two field reps of another team who manage nobody (no conflict of
# interest), both upholding; then `recalc` applies them all as revision 1.
# Measured: the fresh run, each lifecycle command (the mean of all of
# them), recalc (against the contract's bound: 1.5 × the run), verify of the
# revised run and `diff --csv` of the fresh run against the revised one.

APPEALS=100
L_STATUS="not run"

# "APPELLANT REVIEWER1 REVIEWER2" lines for set s.  reps.csv's first field
# is the id and its last three team_id, manager_id, plan_id (none of them
# holds a comma; a quoted name may).
lifecycle_pick() {
  awk -F, -v n="$APPEALS" '
    NR == 1 { next }
    { id = $1; team[id] = $(NF - 2); plan[id] = $NF; if ($(NF - 1) != "") manages[$(NF - 1)] = 1
      ids[++k] = id }
    END {
      for (i = 1; i <= k; i++)
        if (plan[ids[i]] == "field" && !(ids[i] in manages)) cand[++c] = ids[i]
      if (c < n + 2) exit 1
      for (a = 1; a <= n; a++) {
        r = 0; line = cand[a]
        for (j = c; j >= 1 && r < 2; j--)
          if (team[cand[j]] != team[cand[a]]) { line = line " " cand[j]; r++ }
        if (r < 2) exit 1
        print line
      }
    }' "$DATA/$1/data/reps.csv"
}

# Runs one lifecycle command; L_STATUS set on failure.
lifecycle_cmd() {
  if ! "$QUOTIENT" "$@" >>"$WORK/life-cmds.out" 2>>"$WORK/life-cmds.err"; then
    L_STATUS="FAILED: quotient $* (see $WORK/life-cmds.err)"
    return 1
  fi
}

# The APPEALS appeals filed, then assigned, then voted on run `out` (the
# journal's times never go back); L_CMDS and L_CMD_WALL (seconds a command).
lifecycle_appeals() {
  local s=$1 out=$2 month=$3 t0 t1 a r1 r2 i
  local -a ids=()
  : >"$WORK/life-cmds.out"
  : >"$WORK/life-cmds.err"
  lifecycle_pick "$s" >"$WORK/life-picks" || { L_STATUS="FAILED: $s has too few field reps"; return 1; }
  t0=$EPOCHREALTIME
  while read -r a r1 r2; do
    lifecycle_cmd appeal file "$out" --as "$a" --item adjustment --claim 100.00 \
      --reason "bench" --now "${month}-08T09:00:00Z" || return 1
    ids+=("$(tail -n 1 "$WORK/life-cmds.out")")
  done <"$WORK/life-picks"
  i=0
  while read -r a r1 r2; do
    lifecycle_cmd appeal assign "$out" --appeal "${ids[i]}" --reviewer "$r1" --reviewer "$r2" \
      --now "${month}-08T10:00:00Z" || return 1
    i=$((i + 1))
  done <"$WORK/life-picks"
  i=0
  while read -r a r1 r2; do
    for r in "$r1" "$r2"; do
      lifecycle_cmd appeal vote "$out" --appeal "${ids[i]}" --as "$r" --uphold \
        --now "${month}-08T11:00:00Z" || return 1
    done
    i=$((i + 1))
  done <"$WORK/life-picks"
  t1=$EPOCHREALTIME
  L_CMDS=$((4 * ${#ids[@]}))
  L_CMD_WALL=$(awk -v a="$t0" -v b="$t1" -v n="$L_CMDS" 'BEGIN {printf "%.3f", (b - a) / n}')
}

# measure NAME DIR WANT ARGS...: quotient ARGS timed with a fresh cache of
# DIR; FALSE (L_STATUS set) when it exits other than WANT.
lifecycle_measure() {
  local name=$1 dir=$2 want=$3
  shift 3
  fresh_cache "$dir"
  measure "$name" "$QUOTIENT" "$@"
  log "lifecycle: quotient $1: exit $M_RC, wall ${M_WALL}s, rss $(mib "$M_RSS") MiB"
  if [[ $M_RC -ne $want ]]; then
    L_STATUS="FAILED: quotient $1 exit $M_RC, expected $want (see $WORK/$name.err)"
    return 1
  fi
}

# Always returns 0 (bench/run runs under set -e): a failure is L_STATUS.
bench_lifecycle() {
  local s=$1 out=$WORK/life-$1.d month
  month=$(date -u -d "$PERIOD-01 +1 month" +%Y-%m)
  rm -rf "$out"
  lifecycle_measure life-run "$DATA/$s" 0 run --data "$DATA/$s/data" --plans "$DATA/$s/plans" \
    --period "$PERIOD" --out "$out" "${QT_ARGS[@]}" || return 0
  L_RUN_WALL=$M_WALL L_RUN_RSS=$M_RSS
  cp -al "$out" "$out.first" # the fresh run, for diff (hard links: outputs are never rewritten)
  lifecycle_cmd publish "$out" --payout-at "${month}-10T09:00:00Z" --now "${month}-05T09:00:00Z" || return 0
  lifecycle_appeals "$s" "$out" "$month" || return 0
  log "lifecycle: $L_CMDS commands, ${L_CMD_WALL}s each"
  lifecycle_measure life-recalc "$out" 0 recalc "$out" --now "${month}-08T12:00:00Z" || return 0
  L_RECALC_WALL=$M_WALL L_RECALC_RSS=$M_RSS L_RECALC_OUT=$(cat "$WORK/life-recalc.out")
  lifecycle_measure life-verify "$out" 0 verify "$out" || return 0
  L_VERIFY_WALL=$M_WALL
  lifecycle_measure life-diff "$out" 1 diff "$out.first" "$out" --csv || return 0
  L_DIFF_WALL=$M_WALL L_DIFF_ROWS=$(($(wc -l <"$WORK/life-diff.out") - 1))
  L_STATUS=ok
}

lifecycle_report() {
  local s=$1
  echo
  echo "## Closing a month ($s, $PERIOD, $APPEALS upheld appeals)"
  echo
  echo "A fresh run is published; $APPEALS field reps each file an adjustment appeal (100.00),"
  echo "each assigned to two field reps of another team, both upholding; \`recalc\` applies all"
  echo "$APPEALS as revision 1 (bench/lifecycle.sh). One measurement each."
  echo
  if [[ $L_STATUS != ok ]]; then
    echo "**$L_STATUS**"
    return
  fi
  echo "| step | wall | |"
  echo "|---|---:|---|"
  echo "| \`quotient run\` (fresh) | $L_RUN_WALL s | peak RSS $(mib "$L_RUN_RSS") MiB |"
  echo "| a lifecycle command (mean of $L_CMDS: file, assign, vote) | $L_CMD_WALL s | |"
  echo "| \`quotient recalc\` applying all $APPEALS | $L_RECALC_WALL s | $(ratio2 "$L_RECALC_WALL" "$L_RUN_WALL") the run (bound 1.5×); peak RSS $(mib "$L_RECALC_RSS") MiB |"
  echo "| \`quotient verify\` of the revised run | $L_VERIFY_WALL s | |"
  echo "| \`quotient diff --csv\` fresh run → revision 1 | $L_DIFF_WALL s | $L_DIFF_ROWS cells differ (bound 1 s) |"
  echo
  echo '```'
  echo "$L_RECALC_OUT"
  echo '```'
}
