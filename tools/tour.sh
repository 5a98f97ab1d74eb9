#!/usr/bin/env bash
# A scripted tour of the evident CLI on a fresh ledger: what an operator, an
# integration and an auditor each do, command by command. Called by
# `tools/run.sh tour` (`tools/run.sh demo` runs the whole system at once).
#   usage: tools/tour.sh BUILD_DIR WORK_DIR
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
"$gen" --count 5000 --seed 42 --source pd-system >"$work/events.jsonl"
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

step "7. Another system's key corrects or voids only its own records: the finance system's void of a PD record is refused"
"$evident" keygen --out "$work/finance-system.pem" --principal finance-system --role Integration \
  --allow CostIncurred,RecordCorrected,RecordVoided --district lea-0640001 >"$work/register-finance.jsonl"
"$evident" append --ledger "$ledger" --key "$ledger/keys/admin.pem" "$work/register-finance.jsonl"
pd_record=$(head -1 "$work/events.jsonl" | grep -o '"event_id":"[0-9a-f]*"' | cut -d'"' -f4)
cat >"$work/void-pd-record.jsonl" <<JSON
{"event_id":"0b7e5f3a-8c21-4d6e-9f10-3a2b4c5d6e7f","event_type":"RecordVoided","occurred_at":"2025-06-11T17:00:00Z","district_id":"lea-0640001","source_system":"finance-system","body":{"amends_event_id":"$pd_record","reason_code":"entered-in-error"}}
JSON
if "$evident" append --ledger "$ledger" --key "$work/finance-system.pem" "$work/void-pd-record.jsonl"; then
  echo "unexpected: the append was accepted" >&2
  exit 1
fi

step "8. The last two entries, as JSON Lines"
size=$("$evident" log --ledger "$ledger" | wc -l)
"$evident" log --ledger "$ledger" --from $((size - 2))

step "9. An auditor verifies every entry, signature, key rule, index, Merkle node and checkpoint"
"$evident" verify --ledger "$ledger"

step "10. The auditor checks one record offline: the ledger's key, and a self-contained proof"
"$evident" pubkey --ledger "$ledger" | tee "$work/ledger.vkey"
"$evident" prove --ledger "$ledger" --index 1234 --tlog-proof >"$work/entry-1234.tlog-proof"
head -3 "$work/entry-1234.tlog-proof" | cut -c1-76
"$evident" check-proof --vkey-file "$work/ledger.vkey" "$work/entry-1234.tlog-proof"

step "11. ...and that the log only grew since an earlier checkpoint"
"$evident" checkpoint --ledger "$ledger" --size 3 >"$work/checkpoint-3.txt"
"$evident" checkpoint --ledger "$ledger" >"$work/checkpoint-latest.txt"
cat "$work/checkpoint-latest.txt"
latest=$(sed -n 2p "$work/checkpoint-latest.txt")
"$evident" prove --ledger "$ledger" --consistency 3 "$latest" >"$work/grew.json"
"$evident" check-proof --vkey-file "$work/ledger.vkey" --old-checkpoint "$work/checkpoint-3.txt" \
  --checkpoint "$work/checkpoint-latest.txt" "$work/grew.json"

step "12. An export bundle for positions 1000..1099, checked with nothing but the bundle and the key"
"$evident" export --ledger "$ledger" --from 1000 --to 1100 --out "$work/bundle"
"$evident" verify --bundle "$work/bundle" --vkey-file "$work/ledger.vkey"

step "13. The views: fold the log into reciprocity, accountability, equity and compliance"
"$evident" project rebuild --ledger "$ledger"

step "14. One person's reciprocity: what was invested, what changed, and the status"
"$evident" query reciprocity --ledger "$ledger" --person p-17 --row person_program | cut -c1-300

step "15. The district's year in one row, and a CSV for the board's spreadsheet"
"$evident" query accountability --ledger "$ledger" --row district_year | cut -c1-300
"$evident" query accountability --ledger "$ledger" --csv >"$work/accountability.csv"
echo "$(($(wc -l <"$work/accountability.csv") - 1)) rows in $work/accountability.csv"

step "16. The board's report: a sample district's fiscal year 2025-26, in HTML, PDF, Markdown and CSV"
district="$work/district"
"$evident" init --ledger "$district" --origin evident.example/sample-district >/dev/null
"$evident" demo-data --sites 12 --out "$work/district.jsonl"
"$evident" append --ledger "$district" --key "$district/keys/admin.pem" "$work/district.jsonl"
"$evident" report board --ledger "$district" --fiscal-year 2026 --as-of-date 2026-06-30 \
  --out "$work/board-2026"
sed -n '/^## Summary/,/^| Figure/p' "$work/board-2026/report.md" | grep -v '^$' | grep -v '^| Figure'

step "17. Anyone holding the ledger recomputes the report; one edited figure is caught"
"$evident" report verify "$work/board-2026" --ledger "$district"
cp -r "$work/board-2026" "$work/board-2026-edited"
sed -i '0,/"value": \([0-9]*\)/s//"value": 1\1/' "$work/board-2026-edited/summary.json"
"$evident" report verify "$work/board-2026-edited" --ledger "$district" || true

step "18. What the district's systems already export, imported through mappings: once, again, edited"
import_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/import"
import() {
  "$evident" import --map "$import_dir/mappings/$1.json" --param district_id=lea-0640001 \
    --ledger "$ledger" --key "$ledger/keys/admin.pem" "$2"
}
import edfi-pd-attendance "$import_dir/samples/pd-attendance.csv"
import edfi-pd-attendance "$import_dir/samples/pd-attendance.csv"
sed 's/,180$/,240/' "$import_dir/samples/pd-attendance.csv" >"$work/attendance-edited.csv"
import edfi-pd-attendance "$work/attendance-edited.csv"

step "19. A backup of the ledger, restored elsewhere and verified in full"
"$evident" backup "$work/backup" --ledger "$ledger"
"$evident" restore "$work/backup" --ledger "$work/restored"

printf '\nThe ledger is in %s; try: %s log --ledger %s --limit 5\n' "$ledger" "$evident" "$ledger"
printf 'The board report is %s/board-2026/report.html (and report.pdf)\n' "$work"
