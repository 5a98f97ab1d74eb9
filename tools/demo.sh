#!/usr/bin/env bash
# A scripted session of the evident CLI on a fresh ledger: what an operator, an
# integration and an auditor each do. Called by `tools/run.sh demo`.
#   usage: tools/demo.sh BUILD_DIR WORK_DIR
set -euo pipefail

build=$1
work=$2
evident="$build/tools/evident/evident"
gen="$build/tools/bench/evident-gen-events"
ledger="$work/ledger"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

rm -rf "$work"
mkdir -p "$work"

step "1. The district creates its ledger"
"$evident" init --ledger "$ledger" --origin evident.example/springfield --district lea-0640001

step "2. The admin registers a key for the PD-management system (an integration)"
types=SiteRegistered,PersonRegistered,ProgramDefined,CostIncurred,AttendanceRecorded,ObservationRecorded,CoachingSessionLogged
"$evident" keygen --out "$work/pd-system.pem" --principal pd-system --role Integration \
  --allow "$types" --district lea-0640001 >"$work/register.jsonl"
"$evident" append --ledger "$ledger" --key "$ledger/keys/admin.pem" "$work/register.jsonl"

step "3. The integration appends 5,000 events (sites, staff, programmes, attendance, costs, observations)"
"$gen" --count 5000 --seed 42 >"$work/events.jsonl"
"$evident" append --ledger "$ledger" --key "$work/pd-system.pem" "$work/events.jsonl"

step "4. It sends the same file again: nothing is appended twice"
"$evident" append --ledger "$ledger" --key "$work/pd-system.pem" "$work/events.jsonl"

step "5. It tries an event type it was not registered for: refused, nothing stored"
cat >"$work/not-allowed.jsonl" <<'JSON'
{"event_id":"6f1c1b2e-5a4d-4e8a-9c3b-2f0e1d7a9b10","event_type":"EvaluationRatingFinalized","occurred_at":"2025-06-10T17:00:00Z","district_id":"lea-0640001","source_system":"pd-system","subject":{"person_id":"p-17","school_year":2025},"body":{"performance_evaluation_title":"annual-2025","actual_date":"2025-06-10","performance_evaluation_rating_level":"Effective"}}
JSON
if "$evident" append --ledger "$ledger" --key "$work/pd-system.pem" "$work/not-allowed.jsonl"; then
  echo "unexpected: the append was accepted" >&2
  exit 1
fi

step "6. A malformed line is refused with its line number, nothing stored"
printf '%s\n' '{"event_type":"AttendanceRecorded",' >"$work/broken.jsonl"
if "$evident" append --ledger "$ledger" --key "$work/pd-system.pem" "$work/broken.jsonl"; then
  echo "unexpected: the append was accepted" >&2
  exit 1
fi

step "7. The last two entries, as JSON Lines"
size=$("$evident" log --ledger "$ledger" | wc -l)
"$evident" log --ledger "$ledger" --from $((size - 2))

step "8. An auditor verifies every entry, signature, key rule and index"
"$evident" verify --ledger "$ledger"

printf '\nThe ledger is in %s; try: %s log --ledger %s --limit 5\n' "$ledger" "$evident" "$ledger"
