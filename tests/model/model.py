#!/usr/bin/env python3
"""A second, independent implementation of the figures of docs/metrics.md.

Written from the documents only (docs/metrics.md, docs/events.md,
docs/format.md, schemas/event.fbs), never from the engine's figure code. It
reads the ledger as `evident log` prints it (one JSON object per entry:
sequence, recorded_at, signer_key_id, event) and computes the rows of the four
views (reciprocity, accountability, equity, compliance) in a deliberately naive
style: every figure is a function that loops over the whole log; nothing is
kept incrementally. Where the documents do not fix a rule, the reading chosen
is written in tests/model/AMBIGUITIES.md (the "A-n" tags below).

Usage:  model.py LOG.jsonl [--as-of YYYY-MM-DD] [--view V]   (prints JSON)
Python 3 standard library only.
"""
import datetime
import hashlib
import json
import math
import sys
from fractions import Fraction

D = datetime.date

# --------------------------------------------------------------------------- constants of the doc

# "two dose thresholds from the research: 14 hours ... and 49 hours"
THRESHOLD_LOW_HOURS = 14
THRESHOLD_HIGH_HOURS = 49
# "The follow-up window is the programme's own follow_up_window_days, or 120 days."
DEFAULT_WINDOW_DAYS = 120
# "Each is overdue (and counts as owed by the district) 120 days after the goal was set or the
# rating given."
DISTRICT_DUE_DAYS = 120
# "Titles I-A, II-A, III-A, IV-A, IDEA"
FEDERAL_SOURCES = {"TitleIA", "TitleIIA", "TitleIIIA", "TitleIVA", "IDEA"}
# "within 60 days of the period's end (signing date - period end <= 60)"
TE_TIMELY_DAYS = 60
# "attendance records marked present (in attendance, partial, tardy, early departure)"
PRESENT = {"InAttendance", "Partial", "Tardy", "EarlyDeparture"}
# "sustained, intensive, collaborative, job-embedded, data-driven, classroom-focused"
ESEA_FLAGS = ["sustained", "intensive", "collaborative", "job_embedded", "data_driven",
              "classroom_focused"]
# "a summative rating of Developing or below"; "levels 1-5"
RATING_LEVEL = {"Ineffective": 1, "MinimallyEffective": 2, "Developing": 3, "Effective": 4,
                "HighlyEffective": 5}
# "Salary-type costs are: costs recorded DirectToPerson in the categories Stipend, Substitute,
# CoachTime or ParticipantTime"
SALARY_CATEGORIES = {"Stipend", "Substitute", "CoachTime", "ParticipantTime"}
# Status names (the doc's words; "no investment" is the doc-undefined case, A-1).
OWED_DISTRICT = "owed by the district"
OWED_PERSON = "owed by the person"
INSUFFICIENT = "insufficient evidence"
PENDING = "pending"
RECIPROCATED = "reciprocated"
NO_INVESTMENT = "no investment"
# "takes the weightiest status among them, in this order: owed by the district, owed by the
# person, insufficient evidence, pending, reciprocated."  (no investment last: A-1)
STATUS_WEIGHT = [OWED_DISTRICT, OWED_PERSON, INSUFFICIENT, PENDING, RECIPROCATED, NO_INVESTMENT]
# Equity attributes: "students in poverty, English learners, foster youth, students with
# disabilities" (the row's attribute names are the engine's output vocabulary).
ATTRIBUTES = [("students_in_poverty", "students_in_poverty_share"),
              ("english_learners", "english_learner_share"),
              ("foster_youth", "foster_youth_share"),
              ("students_with_disabilities", "students_with_disabilities_share")]
AMENDMENT_TYPES = ("RecordCorrected", "RecordVoided")

# The readings chosen where the documents are not precise (AMBIGUITIES.md). DOC is the model's
# own reading; ALT is the other plausible reading of each, so that diff.py can tell a difference
# an ambiguity explains from one it does not.
DOC = {
    # Decided (the doc will say so):
    "share_granularity": "line",       # summed by (programme, session or none, year,
                                       # category, fund, source), then shared once
    "observations_before": "rating",   # before = observations rating a targeted element
    "first_date_fallback": "end",      # start = end without an attended or coached day
    "attendance_scope": "all",         # every record of the participant-programme
    "took_part": "minutes",            # took part = attended minutes that year
    "direct_component": "category",    # a direct cost in Substitute / CoachTime /
                                       # ParticipantTime is that component
    "end_fallback": "without_completion",  # 30 June only without a completion date
    "void_correction": "applies",      # a void of a correction withdraws it
    # The doc as written:
    "release_source": "budget",        # a fund without a source: the budget's source
    "no_fund_row": "doc",              # one no_fund row per year
    "quartile": "midrank",             # p = (b + e/2) / n
    "quartile_rows": "sites",          # a row for every quartile holding a site
}
# The readings the model took before the decisions above (diff.py --diagnose runs them too, so
# that a difference they remove is tagged "old reading").
ALT = dict(DOC, share_granularity="record", observations_before="all",
           first_date_fallback=None, attendance_scope="year", took_part="participants",
           direct_component="allocation", end_fallback="beside_completion")
# The engine's behaviour where it differs from the model, seen in its output (diagnosis only,
# never the model's reading): diff.py --diagnose runs the model with each switched on alone and
# tags the differences each one removes. The doc is silent on all but void_correction.
_SEEN = dict(staff="registered", unknown_row="any", active_uninvested="goals",
             budget_zero_row="row", rows="doc",
             coaching_participant="yes", rate="latest_giving", persession_no_session="unallocated",
             pair_coaching="minutes_or_cost", pair_release="cost", no_targets="none",
             direct_no_person="unallocated", years="spending",
             low_rating_cleared="investment", invested="nonzero", year_release="any",
             noprog_source="budget", active_years="span", year_goals_completed="goal",
             improving_unit="person", obligation_count="people")
DOC.update(_SEEN)
ALT.update(_SEEN)
# Where the document was silent and the engine's reading was taken into docs/metrics.md ("The
# rules in detail"); each tag is in AMBIGUITIES.md.
DOC.update(staff="pairs", unknown_row="rows", active_uninvested="span", active_years="engine",
           budget_zero_row="omit", rows="engine", coaching_participant="no",
           rate="latest_assignment", persession_no_session="programme", pair_coaching="any",
           direct_no_person="share", year_release="cost", year_goals_completed="any",
           obligation_count="count", no_targets="all", invested="positive", years="rows")
# The board report (summary.py; AMBIGUITIES.md A-47 onward): hours each to two decimals, as
# "hours to two" says; the row of the programmes after the ten counts people, "a person in two of
# them counts once" (A-51; before, their participant-programmes); past due is "a count inside the
# row" (A-52).
DOC.update(hours_each="hundredth", other_row="people", obligation_past_due="inside")
ALT.update(hours_each="hundredth", other_row="sum", obligation_past_due="inside")
# The engine's behaviour where it differs from the document, seen in its output (diagnosis only,
# never the model's reading): none is known (AMBIGUITIES.md, last table, says how each was settled).
# Every difference found in the fourth round was fixed in the engine (AMBIGUITIES.md, last table);
# the readings that reproduced them stay in the code for --diagnose: completion="last_recorded"
# (F-2), title_unique="there" (F-3), program_id_this="both_ways" (F-5).
KNOWN = {}
READ = dict(DOC)

# Mutations (diff.py --mutate RULE): each perturbs one rule of the model by one cent or one day,
# to show that the differential test notices. Never set in a normal run.
MUTATIONS = {
    "coach_rounding": "coach time: half a cent rounded down, not up",
    "share_rounding": "programme share: rounded up to the cent, not down",
    "te_60_days": "time and effort: signed 60 days after the period's end is late (59 allowed)",
    "te_after": "time and effort: signed on the period's last day counts as after it",
    "window_120": "the default follow-up window is 121 days, not 120",
    "district_120": "a district obligation is overdue 119 days after, not 120",
    "fiscal_year": "1 July belongs to the fiscal year before",
    "hours_14": "the 14-hour threshold needs one minute more",
    "budget_source": "a budget row of $0 names the source too",
    "pending_day": "pending ends the day before end + window",
    "next_smallest": "board report: the complement of a lone suppressed row is the next largest",
    "inner_smallest": "board report: the complement of a lone hidden count inside rows is the largest",
    # the comparison with earlier years and the decisions on the record (summary.py)
    "decision_latest": "decisions: the first recorded decision for a programme and year wins, "
                       "not the last",
    "stop_rule": "decisions: a Stop counts as carried out when spending fell (not only at $0)",
    "revise_correction": "decisions: a correction of the old definition after a Revise counts",
    "evaluations_empty": "since last year: a year without summative ratings counts as a "
                         "changed definition",
    "years_four": "since last year: five years before the report's are compared, not four",
    "title_match": "the same programme in two years: by its id only, never by its title",
    "earlier_size": "since last year: the earlier years' reports of the whole log, not of the "
                    "report's tree size",
    "based_on_root": "decisions: the cited root is compared with the root of one entry fewer",
}
MUTATE = set()


def mutated(rule):
    return rule in MUTATE
KEY_TYPES = ("KeyRegistered", "KeyRevoked")


# --------------------------------------------------------------------------- small helpers

def day(s):
    return D.fromisoformat(s) if s else None


def fiscal_year(d):
    """"years are fiscal (and school) years from 1 July to 30 June, named by the year they end
    in (FY2025 = 2024-07-01 to 2025-06-30)"."""
    if mutated("fiscal_year") and d.month == 7 and d.day == 1:
        return d.year
    return d.year + 1 if d.month >= 7 else d.year


def june_30(fy):
    return D(fy, 6, 30)


def district_due_days():
    return DISTRICT_DUE_DAYS - mutated("district_120")


def low_hours_minutes():
    """14 hours, in minutes (hours are compared as minutes / 60)."""
    return THRESHOLD_LOW_HOURS * 60 + mutated("hours_14")


def div_round_half_up(num, den):
    """num / den to the nearest integer, halves away from zero (A-7)."""
    q = Fraction(num) / Fraction(den)
    sign = -1 if q < 0 else 1
    q = abs(q)
    return sign * int(math.floor(q + Fraction(1, 2)))


def share(num, den):
    return None if den == 0 else num / den


def money_ratio(num_cents, den):
    return None if den == 0 else div_round_half_up(num_cents, Fraction(den))


class _Every:
    """Every element (the engine's reading for a programme naming none; diagnosis only)."""

    def __contains__(self, x):
        return True


class Fact:
    """One event as the projections see it after corrections and voids."""

    def __init__(self, pos, etype, env, subject, body, principal):
        self.pos = pos
        self.type = etype
        self.env = env            # the envelope (occurred_at, effective_date, ...)
        self.subject = subject or {}
        self.body = body or {}
        self.principal = principal

    def s(self, k):
        return self.subject.get(k)

    def b(self, k, default=None):
        v = self.body.get(k)
        return default if v is None else v


# --------------------------------------------------------------------------- the log

def load_log(path):
    entries = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                entries.append(json.loads(line))
    entries.sort(key=lambda e: e["sequence"])
    return entries


def principals_by_key(entries):
    """signer_key_id -> principal: key id = SHA-256 of the raw public key (docs/format.md)."""
    out = {}
    for e in entries:
        ev = e["event"]
        if ev["event_type"] == "KeyRegistered":
            kid = hashlib.sha256(bytes.fromhex(ev["body"]["public_key"])).hexdigest()
            out[kid] = ev["body"]["principal_id"]
    return out


def reporting_date(entries, given):
    """"the day given on the command line, else the date (UTC) on which the last entry of the
    log was recorded"."""
    if given:
        return day(given), "given"
    return day(entries[-1]["recorded_at"][:10]), "last entry"


def resolve_target(entries, principals, i, amends_id, amends_principal):
    """docs/format.md key rule 5: "The amended event is the earlier event with that id of the
    principal amends_principal_id names, when given; else the amender's own event with that id;
    else the only earlier event with that id.\""""
    amender = principals.get(entries[i]["signer_key_id"])
    earlier = [j for j in range(i) if entries[j]["event"]["event_id"] == amends_id]
    if amends_principal:
        c = [j for j in earlier if principals.get(entries[j]["signer_key_id"]) == amends_principal]
        return c[-1] if c else None
    own = [j for j in earlier if principals.get(entries[j]["signer_key_id"]) == amender]
    if own:
        return own[-1]
    if len(earlier) == 1:
        return earlier[0]
    return None


def apply_amendments(entries):
    """"A correction replaces the event it names, everywhere, as if the original had said so; a
    void removes it. ... An amendment that cannot apply (no earlier event with that id, an event
    already voided, a key event, a correction of a different type) changes nothing and is
    listed with the reason."

    Naive replay: for every amendment in log order, find its target and decide whether it
    applies. A void of a correction withdraws that correction (A-2): the target then reads as
    the original, or as its latest correction still standing.
    Returns (facts, amendment_rows)."""
    principals = principals_by_key(entries)
    voided = set()            # positions voided
    corrections = {}          # target position -> [correction positions still standing]
    rows = []
    for i, e in enumerate(entries):
        ev = e["event"]
        if ev["event_type"] not in AMENDMENT_TYPES:
            continue
        body = ev["body"]
        t = resolve_target(entries, principals, i, body["amends_event_id"],
                           body.get("amends_principal_id"))
        outcome = "applied"
        if t is None:
            outcome = "not applied: no earlier event with that id"
        else:
            ttype = entries[t]["event"]["event_type"]
            if ttype in KEY_TYPES:
                outcome = "not applied: a key event"
            elif t in voided:
                outcome = "not applied: the event was voided"
            elif ev["event_type"] == "RecordCorrected" and body.get("body_type") != ttype:
                outcome = "not applied: a correction of a different type"
            elif ttype == "RecordVoided":
                outcome = "not applied: a void is not amended (A-2)"
            elif ttype == "RecordCorrected" and ev["event_type"] == "RecordCorrected":
                outcome = "not applied: a correction is not corrected (A-2)"
            elif ttype == "RecordCorrected" and not any(
                    t in lst and tgt not in voided for tgt, lst in corrections.items()):
                # "a void of a correction withdraws that correction": one that did not apply,
                # or whose event was voided since, has nothing standing to withdraw
                outcome = "not applied: the correction is not standing (A-2)"
            elif ttype == "RecordCorrected" and READ["void_correction"] == "refused":
                outcome = "not applied: (KNOWN D4) a correction treated as a governance event"
        if outcome == "applied":
            if ev["event_type"] == "RecordVoided":
                voided.add(t)
                # a void of a correction withdraws it from its target
                for tgt, lst in corrections.items():
                    if t in lst:
                        lst.remove(t)
            else:
                corrections.setdefault(t, []).append(i)
        rows.append({
            "row": "amendment", "position": i, "event_id": ev["event_id"],
            "kind": "correction" if ev["event_type"] == "RecordCorrected" else "void",
            "amends_event_id": body["amends_event_id"],
            "amends_position": t,
            "reason_code": body.get("reason_code", ""),
            "made_by": principals.get(e["signer_key_id"], ""),
            "date": (ev.get("effective_date") or ev["occurred_at"][:10]),
            "outcome": outcome,
        })
    facts = []
    for i, e in enumerate(entries):
        ev = e["event"]
        if ev["event_type"] in AMENDMENT_TYPES or ev["event_type"] in KEY_TYPES:
            continue
        if ev["event_type"] == "AuditAttested":
            continue
        if i in voided:
            continue
        subject = ev.get("subject") or {}
        body = ev.get("body") or {}
        standing = [c for c in corrections.get(i, []) if c not in voided]
        if standing:
            cb = entries[standing[-1]]["event"]["body"]
            body = cb["body"]
            # "Replaces the body (and, when given, the subject) of an earlier event."
            if cb.get("subject"):
                subject = cb["subject"]
        facts.append(Fact(i, ev["event_type"], ev, subject, body,
                          principals.get(e["signer_key_id"], "")))
    return facts, rows


# --------------------------------------------------------------------------- the district

class District:
    """Whole-log queries over the facts. Every method loops over all facts."""

    def __init__(self, facts, as_of):
        self.facts = facts
        self.as_of = as_of
        # Caches of whole-log lists only (the facts never change once read): the figures still
        # loop over these lists every time they are asked for.
        self._of = {}
        self._alloc = None
        self._costs = None
        self._comps = {}

    def of(self, *types):
        if types not in self._of:
            self._of[types] = [f for f in self.facts if f.type in types]
        return self._of[types]

    # ---- people, sites, programmes

    def registered_people(self):
        """Staff: people with a standing registration or assignment (A-42)."""
        people = {f.s("person_id") for f in self.of("PersonRegistered", "AssignmentChanged")}
        if READ["staff"] == "pairs":
            people |= {p for p, _ in self.person_programs()}
        return sorted(people)

    def latest_assignment(self, person):
        """"A person's site and staff group are their latest assignment (else their
        registration)."  Latest = the greatest begin_date, then the later in the log (A-3)."""
        best = None
        for f in self.of("AssignmentChanged"):
            if f.s("person_id") != person:
                continue
            k = (day(f.b("begin_date")), f.pos)
            if best is None or k > best[0]:
                best = (k, f)
        return best[1] if best else None

    def latest_registration(self, person):
        best = None
        for f in self.of("PersonRegistered"):
            if f.s("person_id") == person and (best is None or f.pos > best.pos):
                best = f
        return best

    def site_of(self, person):
        a = self.latest_assignment(person)
        return a.s("site_id") if a else None

    def group_of(self, person):
        a = self.latest_assignment(person)
        if a:
            return a.b("participant_group")
        r = self.latest_registration(person)
        return r.b("participant_group") if r else None

    def hourly_rate(self, person):
        """"The person's hourly rate": the rate of the latest assignment that gives one, else of
        the latest registration that gives one (A-4)."""
        if READ["rate"] == "latest_assignment":
            a = self.latest_assignment(person)
            if a is not None and a.b("hourly_cost_rate_cents") is not None:
                return a.b("hourly_cost_rate_cents")
            r = self.latest_registration(person)
            return r.b("hourly_cost_rate_cents") if r is not None else None
        best = None
        for f in self.of("AssignmentChanged"):
            if f.s("person_id") == person and f.b("hourly_cost_rate_cents") is not None:
                k = (day(f.b("begin_date")), f.pos)
                if best is None or k > best[0]:
                    best = (k, f.b("hourly_cost_rate_cents"))
        if best:
            return best[1]
        r = None
        for f in self.of("PersonRegistered"):
            if f.s("person_id") == person and f.b("hourly_cost_rate_cents") is not None:
                r = f.b("hourly_cost_rate_cents")
        return r

    def program(self, pid):
        best = None
        for f in self.of("ProgramDefined"):
            if f.s("program_id") == pid:
                best = f
        return best.body if best else {}

    def window_days(self, pid):
        w = self.program(pid).get("follow_up_window_days")
        return (DEFAULT_WINDOW_DAYS + mutated("window_120")) if w is None else w

    def targeted_elements(self, pid):
        els = set(self.program(pid).get("targeted_rubric_elements") or [])
        if not els and READ["no_targets"] == "all":
            return _Every()
        return els

    def has_all_six_flags(self, pid):
        p = self.program(pid)
        return all(p.get(k) is True for k in ESEA_FLAGS)

    def is_required(self, pid):
        return self.program(pid).get("required") is True

    def sites(self):
        """"among the n registered sites (at their latest registration)"."""
        latest = {}
        for f in self.of("SiteRegistered"):
            latest[f.s("site_id")] = f.body
        return latest

    # ---- money: which fund and source, and the date of a cost

    def budget_source(self, fund, fy):
        """"its source is the one the district's budget names for that fund in the cost's
        fiscal year: the funding_source of the BudgetAllocated rows (of an amount above zero)
        with that fund_code and fiscal year, when they all name the same one. Otherwise the source is not recorded
        (Unspecified)"."""
        srcs = {f.b("funding_source") for f in self.of("BudgetAllocated")
                if f.b("fund_code") == fund and f.s("fiscal_year") == fy
                and (f.b("amount_cents", 0) > 0 or mutated("budget_source"))}
        return srcs.pop() if len(srcs) == 1 else "Unspecified"

    @staticmethod
    def cost_date(f):
        """"for CostIncurred, the envelope's effective_date, else the date of its occurred_at";
        "for release time, its begin_date; for coaching, its session_date"."""
        if f.type == "CostIncurred":
            return day(f.env.get("effective_date") or f.env["occurred_at"][:10])
        if f.type == "SubstituteCoverageRecorded":
            return day(f.b("begin_date"))
        if f.type == "CoachingSessionLogged":
            return day(f.b("session_date"))
        raise ValueError(f.type)

    def cost_fiscal_year(self, f):
        """"its fiscal year is the subject's fiscal_year when given, else the fiscal year of that
        date"."""
        if f.type == "CostIncurred" and f.s("fiscal_year") is not None:
            return f.s("fiscal_year")
        return fiscal_year(self.cost_date(f))

    @staticmethod
    def coach_cents(f):
        """"The coach's hourly rate x coaching minutes / 60, to the nearest cent (half a cent
        up), when the coaching session gives the rate"."""
        rate = f.b("coach_hourly_rate_cents")
        if rate is None:
            return None
        if mutated("coach_rounding") and (rate * f.b("coaching_minutes", 0)) % 60 == 30:
            return (rate * f.b("coaching_minutes", 0)) // 60
        return div_round_half_up(rate * f.b("coaching_minutes", 0), 60)

    def cost_records(self):
        """Every recorded cost as (fact, fy, program, person, category, fund, source, cents).
        CostIncurred names its fund and source; release time and coaching "carry an optional
        fund_code and funding_source"; "When such a record names a fund but no funding source
        ..., its source is the one the district's budget names for that fund in the cost's fiscal
        year"; a record naming a source but no fund keeps its source and has no fund."""
        if self._costs is not None:
            return self._costs
        out = []
        for f in self.of("CostIncurred"):
            out.append((f, self.cost_fiscal_year(f), f.s("program_id"), f.s("person_id"),
                        f.b("category"), f.b("fund_code", ""), f.b("funding_source", "Unspecified"),
                        f.b("amount_cents", 0)))
        for f in self.of("SubstituteCoverageRecorded"):
            if f.b("substitute_cost_cents") is None:
                continue
            fy = self.cost_fiscal_year(f)
            fund = f.b("fund_code") or ""
            src = f.b("funding_source")
            if src is None:
                src = self.budget_source(fund, fy) if fund and READ["release_source"] == "budget" \
                    else "Unspecified"
            out.append((f, fy, f.s("program_id"), f.s("person_id"), "Substitute", fund, src,
                        f.b("substitute_cost_cents")))
        for f in self.of("CoachingSessionLogged"):
            c = self.coach_cents(f)
            if c is None:
                continue
            fy = self.cost_fiscal_year(f)
            fund = f.b("fund_code") or ""
            src = f.b("funding_source")
            if src is None:
                src = self.budget_source(fund, fy) if fund else "Unspecified"
            out.append((f, fy, f.s("program_id"), f.s("person_id"), "CoachTime", fund, src, c))
        self._costs = out
        return out

    # ---- attendance

    def by_pair(self, etype, person, program):
        """The whole-log list of one type, or its records naming the person and programme (in log
        order; grouped once, like the lists of `of`)."""
        if person is None or program is None:
            return self.of(etype)
        key = ("by_pair", etype)
        if key not in self._of:
            groups = {}
            for f in self.of(etype):
                groups.setdefault((f.s("person_id"), f.s("program_id")), []).append(f)
            self._of[key] = groups
        return self._of[key].get((person, program), [])

    def pair_facts(self, etype, date_key, person=None, program=None, fy=None):
        """The records of one type naming the person and programme (when given), dated (by
        `date_key`) in fiscal year `fy` (when given)."""
        out = []
        for f in self.by_pair(etype, person, program):
            if person is not None and f.s("person_id") != person:
                continue
            if program is not None and f.s("program_id") != program:
                continue
            if fy is not None and fiscal_year(day(f.b(date_key))) != fy:
                continue
            out.append(f)
        return out

    def attendance(self, person=None, program=None, fy=None):
        return self.pair_facts("AttendanceRecorded", "attendance_date", person, program, fy)

    def minutes(self, person, program, fy=None):
        return sum(f.b("credited_minutes", 0) for f in self.attendance(person, program, fy))

    def coaching(self, person=None, program=None, fy=None):
        return self.pair_facts("CoachingSessionLogged", "session_date", person, program, fy)

    # ---- the district's side: components

    def share_out(self, cost_fact, cents, attendees):
        """"a person's share = cost x their minutes / everyone's minutes, rounded down to the
        cent."  attendees: {person: minutes}.  Returns ({person: cents}, leftover)."""
        total = sum(attendees.values())
        if total == 0:
            return {}, cents
        shares = {p: (cents * m) // total for p, m in attendees.items() if m}
        if mutated("share_rounding"):
            shares = {p: -((-cents * m) // total) for p, m in attendees.items() if m}
        return shares, cents - sum(shares.values())

    def programme_share_allocations(self):
        """For every line of PerParticipant / PerSession costs: the shares and the leftover.
        "A programme's costs for a fiscal year ... are shared among the people who attended it
        that year in proportion to the minutes each attended"; "Costs recorded PerSession are
        shared the same way among one session's attendees". A-6 (decided): the costs are summed
        by (programme, session or none, fiscal year, category, fund, source) first, then shared
        once. Returns [(first cost fact of the line, fy, programme, shares, leftover)]."""
        if self._alloc is not None:
            return self._alloc
        lines = {}
        order = []
        for f in self.of("CostIncurred"):
            alloc = f.b("allocation")
            if alloc == "DirectToPerson" and not f.s("person_id") and \
                    READ["direct_no_person"] == "share":
                alloc = "PerParticipant"
            if alloc == "PerSession" and not f.s("session_id") and \
                    READ["persession_no_session"] == "programme":
                alloc = "PerParticipant"  # "shared like PerParticipant costs": summed with them
            if alloc not in ("PerParticipant", "PerSession"):
                continue
            fy = self.cost_fiscal_year(f)
            if READ["share_granularity"] == "line":
                key = (alloc, fy, f.s("program_id"),
                       f.s("session_id") if alloc == "PerSession" else None,
                       f.b("category"), f.b("fund_code", ""), f.b("funding_source"))
            else:
                key = (f.pos,)
            if key not in lines:
                lines[key] = [f, fy, 0]
                order.append(key)
            lines[key][2] += f.b("amount_cents", 0)
        out = []
        for key in order:
            f, fy, amount = lines[key]
            alloc, prog = f.b("allocation"), f.s("program_id")
            if alloc == "DirectToPerson":
                alloc = "PerParticipant"  # engine reading direct_no_person (diagnosis only)
            att = {}
            if alloc == "PerParticipant":
                for a in self.attendance(program=prog, fy=fy):
                    att[a.s("person_id")] = att.get(a.s("person_id"), 0) + a.b("credited_minutes", 0)
            else:
                sess = f.s("session_id")
                if not sess and READ["persession_no_session"] == "programme":
                    for a in self.attendance(program=prog, fy=fy):
                        att[a.s("person_id")] = att.get(a.s("person_id"), 0) + a.b("credited_minutes", 0)
                if sess:
                    for a in self.attendance(program=prog):
                        if a.s("session_id") == sess:
                            att[a.s("person_id")] = att.get(a.s("person_id"), 0) + \
                                a.b("credited_minutes", 0)
            shares, left = self.share_out(f, amount, att)
            out.append((f, fy, prog, shares, left))
        self._alloc = out
        return out

    def components(self, person, program=None, any_program=False):
        """The components of what was invested in a person for a programme (or, with
        any_program, for every programme and for records naming none), as a list of
        (component, category, fund, source, fy, cents), before summing."""
        ck = (person, program, any_program)
        if ck not in self._comps:
            self._comps[ck] = self._components(person, program, any_program)
        return self._comps[ck]

    def _components(self, person, program, any_program):
        def match(p):
            return any_program or p == program
        out = []
        # programme share
        for f, fy, prog, shares, left in self.programme_share_allocations():
            if match(prog) and person in shares:
                out.append(("programme_share", f.b("category"), f.b("fund_code", ""),
                            f.b("funding_source", "Unspecified"), fy, shares[person]))
        # direct and stipend: "Costs recorded DirectToPerson for a named person."; "Direct costs
        # in the Stipend category."
        for f in self.of("CostIncurred"):
            if f.b("allocation") != "DirectToPerson" or f.s("person_id") != person:
                continue
            if not match(f.s("program_id")):
                continue
            comp = "stipend" if f.b("category") == "Stipend" else "direct"
            if READ["direct_component"] == "category":
                comp = {"Substitute": "substitute", "CoachTime": "coach_time",
                        "ParticipantTime": "participant_time"}.get(f.b("category"), comp)
            out.append((comp, f.b("category"), f.b("fund_code", ""),
                        f.b("funding_source", "Unspecified"), self.cost_fiscal_year(f),
                        f.b("amount_cents", 0)))
        # substitute and coach time
        for f, fy, prog, who, cat, fund, src, cents in self.cost_records():
            if f.type == "CostIncurred" or who != person or not match(prog):
                continue
            comp = "substitute" if f.type == "SubstituteCoverageRecorded" else "coach_time"
            if READ["noprog_source"] == "unspecified" and not prog and f.b("funding_source") is None:
                src = "Unspecified"
            out.append((comp, cat, fund, src, fy, cents))
        # participant time: "The person's hourly rate x hours attended", per fiscal year,
        # to the nearest cent
        rate = self.hourly_rate(person)
        if rate is not None:
            progs = sorted({a.s("program_id") for a in self.attendance(person=person)
                            if match(a.s("program_id"))})
            for prog in progs:
                fys = sorted({fiscal_year(day(a.b("attendance_date")))
                              for a in self.attendance(person, prog)})
                for fy in fys:
                    m = self.minutes(person, prog, fy)
                    out.append(("participant_time", "ParticipantTime", "", "Unspecified", fy,
                                div_round_half_up(rate * m, 60)))
        return out

    @staticmethod
    def summed(components):
        """Components summed by (component, category, fund, source, fiscal year); zero sums
        dropped (A-9)."""
        acc = {}
        for c, cat, fund, src, fy, cents in components:
            k = (c, cat, fund, src, fy)
            acc[k] = acc.get(k, 0) + cents
        return [{"component": k[0], "category": k[1], "fund": k[2], "funding_source": k[3],
                 "fiscal_year": k[4], "cents": v} for k, v in sorted(acc.items(), key=lambda x: tuple(map(str, x[0]))) if v != 0]

    # ---- the person-programme pairs

    def person_programs(self):
        """Which person-programme rows exist (A-10): every pair named together by a
        registration, attendance, completion, reaction, learning check, direct cost, release
        time, coaching session or goal."""
        pairs = set()
        for f in self.facts:
            p, prog = f.s("person_id"), f.s("program_id")
            if not p or not prog:
                continue
            if f.type in ("ParticipantRegistered", "AttendanceRecorded", "ParticipationCompleted",
                          "ReactionSurveySubmitted", "LearningAssessed", "GoalSet"):
                pairs.add((p, prog))
            elif f.type == "SubstituteCoverageRecorded" and (
                    (f.b("substitute_cost_cents") or 0) != 0 or READ["pair_release"] == "any"):
                pairs.add((p, prog))
            elif f.type == "CoachingSessionLogged" and (
                    f.b("coaching_minutes", 0) > 0 or (self.coach_cents(f) or 0) != 0
                    or READ["pair_coaching"] == "any"):
                pairs.add((p, prog))
            elif f.type == "CostIncurred" and f.b("allocation") == "DirectToPerson":
                pairs.add((p, prog))
        return sorted(pairs)

    def observations(self, person):
        return [f for f in self.of("ObservationRecorded") if f.s("person_id") == person]


# --------------------------------------------------------------------------- one person and programme

class PersonProgram:
    """The figures of one person and programme ("a function per figure")."""

    def __init__(self, d, person, prog):
        self.d, self.person, self.prog = d, person, prog
        self.comps = d.components(person, prog)

    # -- the district's side

    def invested_cents(self):
        """Every component, participant time included ("what was invested in a person")."""
        return sum(c[5] for c in self.comps)

    def hours(self, fy=None):
        """"hours are credited minutes / 60"."""
        return self.d.minutes(self.person, self.prog, fy) / 60

    def coaching_minutes(self, fy=None):
        """"Coaching minutes count coaching sessions logged for the person and that programme.\""""
        return sum(f.b("coaching_minutes", 0) for f in self.d.coaching(self.person, self.prog, fy))

    def attendance_rate(self, fy=None):
        """"Attendance records marked present (in attendance, partial, tardy, early departure) /
        all records."""
        recs = self.d.attendance(self.person, self.prog, fy)
        return share(sum(1 for f in recs if f.b("attendance_event_category") in PRESENT), len(recs))

    def registered(self):
        return any(f.s("person_id") == self.person and f.s("program_id") == self.prog
                   for f in self.d.of("ParticipantRegistered"))

    def completion_dates(self):
        """"The end is the latest of those days and the latest completion date": every
        completion of the pair (engine reading `completion="last_recorded"`: the one recorded
        last only, diagnosis)."""
        ds = [day(f.b("activity_completion_date")) for f in self.d.of("ParticipationCompleted")
              if f.s("person_id") == self.person and f.s("program_id") == self.prog]
        if READ.get("completion") == "last_recorded":
            return ds[-1:]
        return ds

    def completed(self):
        return bool(self.completion_dates())

    def support_events(self):
        """"Support received counts the organisational support recorded for the programme at the
        person's site (Guskey level 3)."  The person's site = their latest assignment."""
        site = self.d.site_of(self.person)
        if site is None:
            return 0
        return sum(1 for f in self.d.of("OrganizationalSupportRecorded")
                   if f.s("program_id") == self.prog and f.s("site_id") == site)

    def invested(self):
        """"nothing was invested in the person for this programme": no component, no credited
        minutes, no coaching minutes (A-11)."""
        if READ["invested"] == "positive":
            money = sum(c[5] for c in self.comps) > 0
        else:
            money = any(c[5] != 0 for c in self.comps)
        return money or self.d.minutes(self.person, self.prog) > 0 or self.coaching_minutes() > 0

    # -- start and end

    def active_days(self):
        """Days "they attended with credited minutes (or were coached for it)"."""
        days = [day(f.b("attendance_date")) for f in self.d.attendance(self.person, self.prog)
                if f.b("credited_minutes", 0) > 0]
        days += [day(f.b("session_date")) for f in self.d.coaching(self.person, self.prog)
                 if f.b("coaching_minutes", 0) > 0]
        return days

    def start(self):
        """"starts on the first day they attended with credited minutes (or were coached for
        it)"; without such a day, the end (A-12, decided)."""
        days = self.active_days()
        if not days and READ["first_date_fallback"] == "end":
            return self.end()
        return min(days) if days else None

    def end(self):
        """"ends on the latest of those days and their completion date (for costs with no
        attendance: 30 June of the last fiscal year charged)"."""
        days = self.active_days() + self.completion_dates()
        if not self.active_days() and not (READ["end_fallback"] == "without_completion" and days):
            charged = [c[4] for c in self.comps if c[5] != 0]
            if charged:
                days.append(june_30(max(charged)))
        return max(days) if days else None

    def goal_facts(self):
        return [f for f in self.d.of("GoalSet")
                if f.s("person_id") == self.person and f.s("program_id") == self.prog]

    def due_date(self):
        """end + window; for a programme owed by the district (nothing invested), the first goal
        + 120 days (A-13)."""
        if not self.invested():
            goals = self.goal_facts()
            if goals:
                return min(day(g.b("assignment_date")) for g in goals) + \
                    datetime.timedelta(days=district_due_days())
        e = self.end()
        return None if e is None else e + datetime.timedelta(days=self.d.window_days(self.prog))

    # -- the person's side

    def observations_after(self):
        """Observations "after the programme ended": evaluation_date > end (A-14)."""
        e = self.end()
        if e is None:
            return []
        return [f for f in self.d.observations(self.person) if day(f.b("evaluation_date")) > e]

    def observations_before(self):
        """Observations "before it started": evaluation_date < start, rating a targeted element (A-14, decided)."""
        s = self.start()
        if s is None:
            return []
        obs = [f for f in self.d.observations(self.person) if day(f.b("evaluation_date")) < s]
        if READ["observations_before"] == "rating":
            els = self.d.targeted_elements(self.prog)
            obs = [f for f in obs if any(er.get("evaluation_element_title") in els
                                         for er in (f.b("element_ratings") or []))]
        return obs

    def implementation_rate(self):
        """"Of the observations after the programme ended, the share that recorded the targeted
        practice.\""""
        after = self.observations_after()
        return share(sum(1 for f in after if f.b("targeted_practice_observed") is True), len(after))

    def reactions(self):
        return [f for f in self.d.of("ReactionSurveySubmitted")
                if f.s("person_id") == self.person and f.s("program_id") == self.prog]

    def reaction_share(self):
        """"the mean score as a share of the maximum": the mean of score / max (A-15)."""
        rs = [f.b("evaluation_score") / f.b("max_score") for f in self.reactions()
              if f.b("max_score")]
        return sum(rs) / len(rs) if rs else None

    def latest_assessment(self, phase):
        best = None
        for f in self.d.of("LearningAssessed"):
            if f.s("person_id") == self.person and f.s("program_id") == self.prog and \
                    f.b("phase") == phase:
                k = (day(f.b("assessed_date")), f.pos)
                if best is None or k > best[0]:
                    best = (k, f)
        return best[1] if best else None

    @staticmethod
    def score_share(f):
        return f.b("score") / f.b("max_score") if f.b("max_score") else None

    def learning_shown(self):
        """"A post-assessment exists and, if there is a pre-assessment, scores higher."  The
        latest of each, compared as shares of their maximum (A-16)."""
        post, pre = self.latest_assessment("Post"), self.latest_assessment("Pre")
        if post is None:
            return False
        if pre is None:
            return True
        a, b = self.score_share(post), self.score_share(pre)
        return a is not None and b is not None and a > b

    def learning_gain(self):
        """"The gain is post - pre as a share of the maximum."  Blank without both (A-16)."""
        post, pre = self.latest_assessment("Post"), self.latest_assessment("Pre")
        if post is None or pre is None:
            return None
        a, b = self.score_share(post), self.score_share(pre)
        return None if a is None or b is None else a - b

    def targeted_ratings(self, obs):
        els = self.d.targeted_elements(self.prog)
        out = []
        nobs = 0
        for f in obs:
            rs = [er["rating"] for er in (f.b("element_ratings") or [])
                  if er.get("evaluation_element_title") in els]
            if rs:
                nobs += 1
            out += rs
        return out, nobs

    def district_spread(self):
        """"the population standard deviation ... of every rating on those elements in every
        observation in the log"."""
        els = self.d.targeted_elements(self.prog)
        xs = [er["rating"] for f in self.d.of("ObservationRecorded")
              for er in (f.b("element_ratings") or []) if er.get("evaluation_element_title") in els]
        if not xs:
            return 0.0
        m = sum(xs) / len(xs)
        return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))

    def targeted_change(self):
        """"The mean rating on the programme's targeted elements in observations after the
        programme, minus the mean before it started, divided by the district's spread ... Known
        only with at least one observation before and two after that rate those elements, and a
        district spread above zero; otherwise blank."  Returns (value, standard_error) or None."""
        before, nb_obs = self.targeted_ratings(self.observations_before())
        after, na_obs = self.targeted_ratings(self.observations_after())
        sd = self.district_spread()
        if nb_obs < 1 or na_obs < 2 or not sd > 0:
            return None
        mb, ma = sum(before) / len(before), sum(after) / len(after)
        value = (ma - mb) / sd

        def var(xs, m):
            # "each side's variance is its own sample variance ... or the district's population
            # variance (the spread squared) when that side has a single rating"
            if len(xs) == 1:
                return sd * sd
            return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
        se = math.sqrt(var(before, mb) / len(before) + var(after, ma) / len(after)) / sd
        return value, se

    def goals_set(self):
        return len(self.goal_facts())

    def goals_completed(self):
        """"Goals naming the programme, and how many were completed": a goal is completed when
        a GoalCompleted of the person with its title says completed_indicator true (A-17)."""
        n = 0
        for g in self.goal_facts():
            if any(c.s("person_id") == self.person and c.b("goal_title") == g.b("goal_title") and
                   c.b("completed_indicator") is True for c in self.d.of("GoalCompleted")):
                n += 1
        return n

    def latest_rating(self, pred):
        best = None
        for f in self.d.of("EvaluationRatingFinalized"):
            if f.s("person_id") != self.person:
                continue
            dt = day(f.b("actual_date"))
            if not pred(dt):
                continue
            k = (dt, f.pos)
            if best is None or k > best[0]:
                best = (k, f)
        return RATING_LEVEL.get(best[1].b("performance_evaluation_rating_level")) if best else None

    def rating_change(self):
        """"The latest rating after the programme minus the latest rating on or before its start
        (levels 1-5)."""
        s, e = self.start(), self.end()
        if s is None or e is None:
            return None
        after = self.latest_rating(lambda dt: dt > e)
        before = self.latest_rating(lambda dt: dt <= s)
        return None if after is None or before is None else after - before

    def outcomes(self):
        """"Aggregated student growth measures attributed to the person, dated after the
        programme"."""
        e = self.end()
        if e is None:
            return []
        return [f for f in self.d.of("StudentOutcomeMeasured")
                if f.s("person_id") == self.person and day(f.b("fact_as_of_date")) > e]

    @staticmethod
    def outcome_met(f):
        """"how many met their target (or were marked met)" (A-18)."""
        if f.b("student_growth_met") is True:
            return True
        t = f.b("student_growth_target_score")
        return t is not None and f.b("student_growth_actual_score") >= t

    def outcomes_met(self):
        return sum(1 for f in self.outcomes() if self.outcome_met(f))

    # -- evidence levels

    def level_evidence(self):
        """The Guskey levels with evidence, each on its own ("Highest Guskey level with
        evidence: 5 if a student outcome met its target after the programme; 4 if an observation
        after it recorded the targeted practice, the targeted change is above zero, or the
        summative rating rose; 3 if support was recorded for the programme at the person's site;
        2 if learning was shown; 1 if the person answered a reaction survey; else 0")."""
        ch = self.targeted_change()
        rc = self.rating_change()
        return {
            5: self.outcomes_met() > 0,
            4: (any(f.b("targeted_practice_observed") is True for f in self.observations_after())
                or (ch is not None and ch[0] > 0) or (rc is not None and rc > 0)),
            3: self.support_events() > 0,
            2: self.learning_shown(),
            1: len(self.reactions()) > 0,
        }

    def highest_level(self):
        ev = self.level_evidence()
        return max([k for k, v in ev.items() if v], default=0)

    def change_per_1000(self):
        """"Change per $1,000 is the change / (dollars invested / 1,000), with a 95% band of
        +/- 1.96 standard errors on the same scale.\""""
        ch = self.targeted_change()
        inv = self.invested_cents()
        if ch is None or inv <= 0:
            return None
        k = inv / 100 / 1000
        v, se = ch
        return {"value": v / k, "low": (v - 1.96 * se) / k, "high": (v + 1.96 * se) / k}

    # -- status

    def status(self):
        """"The status is decided in this order: 1. Owed by the district ... 5. Owed by the
        person"."""
        as_of = self.d.as_of
        if not self.invested():
            goals = self.goal_facts()
            if not goals:
                return NO_INVESTMENT  # no status in the doc for this case
            first = min(day(g.b("assignment_date")) for g in goals)
            # "and 120 days have passed since the goal was set. (Inside those 120 days: pending.)"
            # docs/metrics.md, "Days": passed when the reporting date is later than set + 120
            if (as_of - first).days > district_due_days():
                return OWED_DISTRICT
            return PENDING
        if self.highest_level() >= 4:
            return RECIPROCATED
        e = self.end()
        # "Pending - the reporting date is on or before the end date + the window."
        if as_of <= e + datetime.timedelta(days=self.d.window_days(self.prog) - mutated("pending_day")):
            return PENDING
        if len(self.observations_after()) < 2:
            return INSUFFICIENT
        return OWED_PERSON

    # -- the row

    def row(self):
        d = self.d
        s, e, due = self.start(), self.end(), self.due_date()
        ch = self.targeted_change()
        return {
            "row": "person_program", "person": self.person, "program": self.prog,
            "site": d.site_of(self.person) or "", "staff_group": d.group_of(self.person) or "Unspecified",
            "status": self.status(),
            "first_date": s.isoformat() if s else None,
            "end_date": e.isoformat() if e else None,
            "due_date": due.isoformat() if due else None,
            "district_side": {
                "invested_cents": self.invested_cents(),
                "components": d.summed(self.comps),
                "hours": self.hours(),
                "reached_14_hours": self.d.minutes(self.person, self.prog) >= low_hours_minutes(),
                "reached_49_hours": self.hours() >= THRESHOLD_HIGH_HOURS,
                "attendance_rate": self.attendance_rate(),
                "registered": self.registered(),
                "completed": self.completed(),
                "support_events": self.support_events(),
                "coaching_minutes": self.coaching_minutes(),
            },
            "person_side": {
                "reactions": len(self.reactions()),
                "reaction_share": self.reaction_share(),
                "learning_shown": self.learning_shown(),
                "learning_gain": self.learning_gain(),
                "observations_before": len(self.observations_before()),
                "observations_after": len(self.observations_after()),
                "implementation_rate": self.implementation_rate(),
                "targeted_change_sd": None if ch is None else {"value": ch[0], "standard_error": ch[1]},
                "goals_set": self.goals_set(),
                "goals_completed": self.goals_completed(),
                "rating_change": self.rating_change(),
                "student_outcomes": len(self.outcomes()),
                "student_outcomes_met": self.outcomes_met(),
            },
            "change_per_1000_dollars": self.change_per_1000(),
            "highest_guskey_level": self.highest_level(),
        }


# --------------------------------------------------------------------------- obligations

def invested_in_year(d, person, fy):
    """"nothing was invested in the person - no hours, costs or coaching" in a school year."""
    if any(f.b("credited_minutes", 0) > 0 for f in d.attendance(person=person, fy=fy)):
        return True
    if any(f.b("coaching_minutes", 0) > 0 for f in d.coaching(person=person, fy=fy)):
        return True
    if READ["low_rating_cleared"] == "programme_span":
        for prog in {p for q, p in d.person_programs() if q == person}:
            pp = PersonProgram(d, person, prog)
            s, e = pp.start(), pp.end()
            if e is not None and fiscal_year(s or e) <= fy <= fiscal_year(e):
                return True
    return any(c[4] == fy and c[5] != 0 for c in d.components(person, any_program=True))


def obligations(d, pps):
    """Open obligations, both sides. pps: {(person, programme): PersonProgram}."""
    rows = []
    plus = datetime.timedelta(days=district_due_days())
    for (person, prog), pp in sorted(pps.items()):
        st = pp.status()
        if st == OWED_PERSON:
            # the person's side: "Participant-programmes owed by the person"
            e = pp.end()
            rows.append({"row": "obligation", "side": "person", "person": person, "program": prog,
                         "school_year": fiscal_year(e), "kind": "investment",
                         "date": e.isoformat(), "due_date": pp.due_date().isoformat(),
                         "overdue": True})
    for g in d.of("GoalSet"):
        person, prog = g.s("person_id"), g.s("program_id")
        gd = day(g.b("assignment_date"))
        if prog:
            # "a goal naming a programme in which nothing was invested in the person"
            if pps[(person, prog)].invested():
                continue
        else:
            # "a goal naming no programme, in a school year in which (and in the year after
            # which) nothing was invested in the person"
            y = fiscal_year(gd)
            if invested_in_year(d, person, y) or invested_in_year(d, person, y + 1):
                continue
        rows.append({"row": "obligation", "side": "district", "person": person,
                     "program": prog or "", "school_year": fiscal_year(gd), "kind": "goal",
                     "detail": g.b("goal_title"), "date": gd.isoformat(),
                     "due_date": (gd + plus).isoformat(),
                     # "Each is overdue ... 120 days after the goal was set"
                     "overdue": d.as_of > gd + plus})
    for r in d.of("EvaluationRatingFinalized"):
        lvl = RATING_LEVEL.get(r.b("performance_evaluation_rating_level"))
        if lvl is None or lvl > RATING_LEVEL["Developing"]:
            continue
        person = r.s("person_id")
        y = r.s("school_year")  # the rating's school_year
        if invested_in_year(d, person, y) or invested_in_year(d, person, y + 1):
            continue
        rd = day(r.b("actual_date"))
        rows.append({"row": "obligation", "side": "district", "person": person, "program": "",
                     "school_year": y, "kind": "low rating",
                     "detail": r.b("performance_evaluation_rating_level"), "date": rd.isoformat(),
                     "due_date": (rd + plus).isoformat(), "overdue": d.as_of > rd + plus})
    return rows


# --------------------------------------------------------------------------- the reciprocity view

def person_year_rows(d, pps, obl):
    """A person's school-year row (A-22: which rows, and what each field sums)."""
    years = {}
    for (person, prog), pp in pps.items():
        for y in program_active_years(d, pp):
            years.setdefault((person, y), set()).add(prog)
    for f in d.facts:
        p = f.s("person_id")
        if not p:
            continue
        y = None
        if f.type == "ObservationRecorded":
            y = fiscal_year(day(f.b("evaluation_date")))
        elif f.type == "GoalSet":
            y = fiscal_year(day(f.b("assignment_date")))
        elif f.type == "GoalCompleted" and READ["year_goals_completed"] == "any" and \
                f.b("completed_indicator") is True:
            y = fiscal_year(day(f.b("completed_date")))
        elif f.type in ("EvaluationRatingFinalized", "StudentOutcomeMeasured"):
            y = f.s("school_year")
        elif f.type in ("SubstituteCoverageRecorded", "CoachingSessionLogged"):
            y = d.cost_fiscal_year(f)
            if f.type == "SubstituteCoverageRecorded" and READ["year_release"] == "cost" and \
                    not f.b("substitute_cost_cents"):
                y = None
        if y is not None:
            years.setdefault((p, y), set())
    rows = []
    for (person, y), progs in sorted(years.items()):
        comps = [c for c in d.components(person, any_program=True) if c[4] == y]
        obs = [f for f in d.observations(person) if fiscal_year(day(f.b("evaluation_date"))) == y]
        ratings = [f for f in d.of("EvaluationRatingFinalized")
                   if f.s("person_id") == person and f.s("school_year") == y]
        prev = [f for f in d.of("EvaluationRatingFinalized")
                if f.s("person_id") == person and f.s("school_year") == y - 1]

        def latest(fs):
            if not fs:
                return None
            f = max(fs, key=lambda f: (day(f.b("actual_date")), f.pos))
            return RATING_LEVEL.get(f.b("performance_evaluation_rating_level"))
        lvl, plvl = latest(ratings), latest(prev)
        goals = [g for g in d.of("GoalSet") if g.s("person_id") == person and
                 fiscal_year(day(g.b("assignment_date"))) == y]
        # goals completed in the year: the person's goals whose completion (indicator true) is
        # dated in the year
        done = {c.b("goal_title") for c in d.of("GoalCompleted")
                if c.s("person_id") == person and c.b("completed_indicator") is True and
                fiscal_year(day(c.b("completed_date"))) == y and
                any(g.s("person_id") == person and g.b("goal_title") == c.b("goal_title")
                    for g in d.of("GoalSet"))}
        if READ["year_goals_completed"] == "any":
            done = [c for c in d.of("GoalCompleted")
                    if c.s("person_id") == person and c.b("completed_indicator") is True and
                    fiscal_year(day(c.b("completed_date"))) == y]
        outs = [f for f in d.of("StudentOutcomeMeasured")
                if f.s("person_id") == person and f.s("school_year") == y]
        statuses = [pps[(person, p)].status() for p in progs]
        # "Each [district-side obligation] is overdue (and counts as owed by the district) 120
        # days after the goal was set or the rating given." (A-22)
        owed_d = [o for o in obl if o["side"] == "district" and o["person"] == person and
                  o["school_year"] == y and o["overdue"]]
        if owed_d:
            statuses.append(OWED_DISTRICT)
        status = min(statuses, key=STATUS_WEIGHT.index) if statuses else NO_INVESTMENT
        rows.append({
            "row": "person_year", "person": person, "school_year": y,
            "site": d.site_of(person) or "", "staff_group": d.group_of(person) or "Unspecified",
            "status": status,
            "district_side": {
                "invested_cents": sum(c[5] for c in comps),
                "components": d.summed(comps),
                "hours": sum(f.b("credited_minutes", 0) for f in d.attendance(person=person, fy=y)) / 60,
                "coaching_minutes": sum(f.b("coaching_minutes", 0) for f in d.coaching(person=person, fy=y)),
            },
            "person_side": {
                "observations": len(obs),
                "implementation_rate": share(sum(1 for f in obs if f.b("targeted_practice_observed") is True), len(obs)),
                "rating_level": lvl,
                "rating_change": None if lvl is None or plvl is None else lvl - plvl,
                "goals_set": len(goals),
                "goals_completed": len(done),
                "student_outcomes": len(outs),
                "student_outcomes_met": sum(1 for f in outs if PersonProgram.outcome_met(f)),
            },
            "open_obligations": {
                "person": sum(1 for o in obl if o["side"] == "person" and o["person"] == person and o["school_year"] == y),
                "district": len(owed_d),
            },
        })
    return rows


def program_active_years(d, pp):
    """"the programmes active that year": the school years its span (start, or the end when there
    is no start, to the end) touches, and the years of its components; for a programme with
    nothing invested, the years its goals were set (A-22)."""
    ys = {c[4] for c in pp.comps if c[5] != 0}
    s, e = pp.start(), pp.end()
    if READ["active_years"] == "engine":
        ys |= {fiscal_year(day(a.b("attendance_date"))) for a in d.attendance(pp.person, pp.prog)
               if a.b("credited_minutes", 0) > 0}
        return ys | ({fiscal_year(e)} if e is not None else set())
    if pp.invested() and e is not None:
        ys |= set(range(fiscal_year(s or e), fiscal_year(e) + 1))
    if not pp.invested():
        if READ["active_uninvested"] == "span":
            ys = set(range(fiscal_year(s or e), fiscal_year(e) + 1)) if e is not None else set()
        else:
            ys |= {fiscal_year(day(g.b("assignment_date"))) for g in pp.goal_facts()}
    return ys


def reciprocity_view(d):
    pps = {pair: PersonProgram(d, *pair) for pair in d.person_programs()}
    # goals naming a programme need their pair even without other records
    obl = obligations(d, pps)
    rows = [pp.row() for pp in pps.values()]
    rows += person_year_rows(d, pps, obl)
    rows += obl
    return rows, pps


# --------------------------------------------------------------------------- the accountability view

class Enrolment:
    """One participant-programme in one fiscal year ("Participants: people with minutes or
    spend in the programme that year")."""

    def __init__(self, pp, fy):
        self.pp, self.fy = pp, fy
        self.person, self.prog = pp.person, pp.prog
        comps = [c for c in pp.comps if c[4] == fy]
        # "Spend: Programme shares and direct costs of that year (not participant time, shown
        # apart as its value)."
        self.spend_lines = [c for c in comps if c[0] != "participant_time"]
        self.spend = sum(c[5] for c in self.spend_lines)
        self.time_value = sum(c[5] for c in comps if c[0] == "participant_time")
        self.minutes = pp.d.minutes(pp.person, pp.prog, fy)
        self.participant = True
        self.hours = self.minutes / 60


def enrolments(d, pps, fy, members=False):
    """The participant-programmes of a year (A-23). With members, also those that only carry
    participant time's value in a row (engine reading rows; participant False)."""
    key = ("enrolments", fy)
    if key not in d._comps:
        out = []
        for pp in pps.values():
            e = Enrolment(pp, fy)
            # minutes, coaching minutes or a non-zero spend line that year
            coached = READ["coaching_participant"] == "yes" and pp.coaching_minutes(fy) > 0
            if e.minutes > 0 or coached or any(c[5] != 0 for c in e.spend_lines):
                out.append(e)
            elif READ["rows"] == "engine" and (e.time_value != 0 or e.minutes != 0 or
                                               any(c[5] != 0 for c in e.spend_lines)):
                e.participant = False
                out.append(e)
        d._comps[key] = out
    out = d._comps[key]
    return out if members else [e for e in out if e.participant]


def row_years(d, pps):
    """The fiscal years with site_program, district and equity rows (A-24): the years with
    programme spending or minutes, and the years a programme owed by the district was expected
    (its first goal)."""
    fys = set(active_fiscal_years(d))
    for pp in pps.values():
        if READ["rows"] == "engine":
            if not member_years(d, pps, pp) and pp.due_date() is not None:
                fys.add(fiscal_year(pp.due_date()))
        elif pp.status() == OWED_DISTRICT:
            fys.add(fiscal_year(min(day(g.b("assignment_date")) for g in pp.goal_facts())))
    if READ["years"] == "rows":
        fys |= {c[4] for pp in pps.values() for c in pp.comps if c[5] != 0}
        fys = {fy for fy in fys if enrolments(d, pps, fy, members=True)
               or uninvested_row_pairs(d, pps, fy)}
    return sorted(fys)


def active_fiscal_years(d):
    """"Each fiscal year in which any programme had spending or minutes" (equity; used for the
    district and comparison rows too, A-24)."""
    ys = set()
    for f, fy, prog, who, cat, fund, src, cents in d.cost_records():
        if prog and cents != 0:
            ys.add(fy)
    for a in d.attendance():
        if a.b("credited_minutes", 0) > 0:
            ys.add(fiscal_year(day(a.b("attendance_date"))))
    return sorted(ys)


def group_figures(d, members, staff_people, teachers, fy, pps):
    """The accountability figures of a group of enrolments (one site_program row, a district
    year, or an equity quartile)."""
    ens = [e for e in members if e.participant]
    people = sorted({e.person for e in ens})
    n = len(people)
    spend = sum(e.spend for e in ens)
    lines = {}
    for e in ens:
        for c in e.spend_lines:
            k = (c[1], c[2], c[3])
            lines[k] = lines.get(k, 0) + c[5]
    minutes = sum(e.minutes for e in ens)
    hours = minutes / 60
    recs = [a for e in ens for a in d.attendance(
        e.person, e.prog, fy if READ["attendance_scope"] == "year" else None)]
    completers = {e.person for e in ens if e.pp.completed()}
    six = sum(e.minutes for e in ens if d.has_all_six_flags(e.prog))
    ev = {id(e): e.pp.level_evidence() for e in ens}
    after = [f for e in ens for f in e.pp.observations_after()]
    changes = {}
    for e in ens:
        ch = e.pp.targeted_change()
        if ch is not None:
            changes.setdefault(e.person, []).append(ch[0])
    improving = sum(1 for p, v in changes.items() if any(x > 0 for x in v))
    if READ["improving_unit"] == "enrolment":
        improving = sum(1 for v in changes.values() for x in v if x > 0)
        changes = [x for v in changes.values() for x in v]
    changed = {e.person for e in ens if ev[id(e)][4] or ev[id(e)][5]}
    staff = len(staff_people)
    return {
        "spend_cents": spend,
        "spend": [{"category": k[0], "fund": k[1], "funding_source": k[2], "cents": v}
                  for k, v in sorted(lines.items()) if v != 0],
        "participant_time_value_cents": sum(e.time_value for e in members),
        "participants": n,
        "enrolments": len(ens),
        "staff": staff,
        # "reach = participants / staff"
        "reach": share(n, staff),
        # "Spend / participants; spend / certificated staff at the site."
        "spend_per_participant_cents": money_ratio(spend, n),
        "spend_per_teacher_cents": money_ratio(spend, teachers),
        "hours": hours,
        "hours_distribution": {
            "under_14": sum(1 for e in ens if e.minutes < low_hours_minutes()),
            "14_to_49": sum(1 for e in ens if low_hours_minutes() <= e.minutes < THRESHOLD_HIGH_HOURS * 60),
            "49_and_over": sum(1 for e in ens if e.hours >= THRESHOLD_HIGH_HOURS),
        },
        "attendance_rate": share(sum(1 for a in recs if a.b("attendance_event_category") in PRESENT), len(recs)),
        "completion_rate": share(len(completers), n),
        "statutory_hours_share": share(six, minutes),
        "guskey_coverage": {f"level_{k}": share(sum(1 for e in ens if ev[id(e)][k]), len(ens))
                            for k in range(1, 6)},
        "guskey_enrolments": {f"level_{k}": sum(1 for e in ens if ev[id(e)][k]) for k in range(1, 6)},
        "implementation_rate": share(sum(1 for f in after if f.b("targeted_practice_observed") is True), len(after)),
        "share_improving": share(improving, len(changes)),
        "cost_per_participant_hour_cents": None if minutes == 0 else div_round_half_up(spend * 60, minutes),
        "cost_per_completer_cents": money_ratio(spend, len(completers)),
        "people_with_demonstrated_change": len(changed),
        "cost_per_demonstrated_change_cents": money_ratio(spend, len(changed)),
        "dollars_without_level4_evidence_cents": sum(e.spend for e in ens if e.pp.highest_level() < 4),
    }


def member_years(d, pps, pp):
    """The fiscal years in which a row holds the person-programme (engine reading rows)."""
    if not hasattr(pp, "_member_years"):
        cands = {c[4] for c in pp.comps} | \
            {fiscal_year(day(a.b("attendance_date"))) for a in d.attendance(pp.person, pp.prog)} | \
            {fiscal_year(day(c.b("session_date"))) for c in d.coaching(pp.person, pp.prog)}
        pp._member_years = {fy for fy in cands
                            if any(e.pp is pp for e in enrolments(d, pps, fy, members=True))}
    return pp._member_years


def owed_by_district_pairs(d, pps, fy):
    """(person, programme) owed by the district whose first goal was set in the year."""
    out = []
    for pp in pps.values():
        if pp.status() == OWED_DISTRICT:
            if READ["rows"] == "engine":
                ys = member_years(d, pps, pp) or {fiscal_year(pp.due_date())}
                if fy in ys:
                    out.append(pp)
                continue
            first = min(day(g.b("assignment_date")) for g in pp.goal_facts())
            if fiscal_year(first) == fy:
                out.append(pp)
    return out


def uninvested_row_pairs(d, pps, fy):
    """The person-programmes that give a site_program row without participants (A-23b)."""
    if READ["rows"] == "engine":
        return [pp for pp in pps.values() if not member_years(d, pps, pp)
                and pp.due_date() is not None and fiscal_year(pp.due_date()) == fy]
    return owed_by_district_pairs(d, pps, fy)


def accountability_view(d, pps):
    rows = []
    people = d.registered_people()
    for fy in row_years(d, pps):
        ens = enrolments(d, pps, fy, members=True)
        keys = {(d.site_of(e.person) or "", e.prog, d.group_of(e.person) or "Unspecified") for e in ens}
        # A-23b: a programme owed by the district (its first goal set in the year) has its row too
        keys |= {(d.site_of(pp.person) or "", pp.prog, d.group_of(pp.person) or "Unspecified")
                 for pp in uninvested_row_pairs(d, pps, fy)}
        keys = sorted(keys)
        for site, prog, group in keys:
            sel = [e for e in ens if (d.site_of(e.person) or "", e.prog, d.group_of(e.person) or "Unspecified")
                   == (site, prog, group)]
            staff = [p for p in people if (d.site_of(p) or "") == site and (d.group_of(p) or "Unspecified") == group]
            teachers = sum(1 for p in people if (d.site_of(p) or "") == site and
                           d.group_of(p) == "Certificated")
            r = {"row": "site_program", "fiscal_year": fy, "site": site, "program": prog,
                 "staff_group": group}
            r.update(group_figures(d, sel, staff, teachers, fy, pps))
            r["open_obligations"] = {
                "person": sum(1 for e in sel if e.participant and e.pp.status() == OWED_PERSON),
                "district": sum(1 for pp in owed_by_district_pairs(d, pps, fy)
                                if pp.prog == prog and (d.site_of(pp.person) or "") == site
                                and (d.group_of(pp.person) or "Unspecified") == group),
            }
            rows.append(r)
        r = {"row": "district_year", "fiscal_year": fy}
        r.update(group_figures(d, ens, people, sum(1 for p in people if d.group_of(p) == "Certificated"), fy, pps))
        r["open_obligations"] = {"person": sum(1 for e in ens if e.participant and
                                               e.pp.status() == OWED_PERSON),
                                 "district": len(owed_by_district_pairs(d, pps, fy))}
        rows.append(r)
    rows += budget_rows(d)
    rows += unallocated_rows(d)
    rows += comparison_rows(d, pps)
    return rows


def budget_rows(d):
    """"Per fiscal year and fund: budget allocated, every recorded cost charged to the fund, the
    variance (budget - actual) and the share spent (actual / budget; blank with no budget). Costs
    that name no fund (coach time recorded without one) are one row per year with fund empty and
    no_fund: true: their actual, and no budget, variance or share.\""""
    budget, actual, nofund = {}, {}, {}
    for f in d.of("BudgetAllocated"):
        k = (f.s("fiscal_year"), f.b("fund_code"))
        budget[k] = budget.get(k, 0) + f.b("amount_cents", 0)
    for f, fy, prog, who, cat, fund, src, cents in d.cost_records():
        if cents == 0:
            continue  # a record of no cost makes no row
        if fund:
            actual[(fy, fund)] = actual.get((fy, fund), 0) + cents
        else:
            nofund[fy] = nofund.get(fy, 0) + cents
    rows = []
    for k in sorted(set(budget) | set(actual)):
        b = budget.get(k)
        a = actual.get(k, 0)
        if READ["budget_zero_row"] == "omit" and not b and not a:
            continue
        rows.append({"row": "budget", "fiscal_year": k[0], "fund": k[1],
                     "budget_cents": b or 0, "actual_cents": a,
                     "variance_cents": (b or 0) - a,
                     # no BudgetAllocated, or a budget of 0: blank
                     "spent_share": share(a, b) if b else None})
    for fy in sorted(nofund):
        if READ["no_fund_row"] == "fund_row":
            rows.append({"row": "budget", "fiscal_year": fy, "fund": "", "budget_cents": 0,
                         "actual_cents": nofund[fy], "variance_cents": -nofund[fy],
                         "spent_share": None})
            continue
        rows.append({"row": "budget", "fiscal_year": fy, "fund": "", "no_fund": True,
                     "budget_cents": None, "actual_cents": nofund[fy], "variance_cents": None,
                     "spent_share": None})
    return rows


def unallocated_rows(d):
    """"The pennies left over by rounding, and costs of a year nobody attended, stay with the
    programme as unallocated (accountability view)." By (year, programme, category, fund,
    source); A-26: DirectToPerson costs naming no person too; zero sums dropped."""
    acc = {}
    for f, fy, prog, shares, left in d.programme_share_allocations():
        k = (fy, prog, f.b("category"), f.b("fund_code", ""), f.b("funding_source", "Unspecified"))
        acc[k] = acc.get(k, 0) + left
    for f in d.of("CostIncurred"):
        if f.b("allocation") == "DirectToPerson" and not f.s("person_id") and \
                READ["direct_no_person"] == "unallocated":
            k = (d.cost_fiscal_year(f), f.s("program_id"), f.b("category"), f.b("fund_code", ""),
                 f.b("funding_source", "Unspecified"))
            acc[k] = acc.get(k, 0) + f.b("amount_cents", 0)
    return [{"row": "unallocated", "fiscal_year": k[0], "program": k[1], "category": k[2],
             "fund": k[3], "funding_source": k[4], "cents": v}
            for k, v in sorted(acc.items()) if v != 0]


def comparison_rows(d, pps):
    """"Per fiscal year, the share of observations showing the targeted practice for people who
    took part in programmes that year and for those who did not." (A-27: observations dated in
    the year; the years of active_fiscal_years.)"""
    rows = []
    # a year with observations has a comparison row
    years = sorted({fiscal_year(day(f.b("evaluation_date"))) for f in d.of("ObservationRecorded")})
    for fy in years:
        took_part = {e.person for e in enrolments(d, pps, fy)
                     if READ["took_part"] == "participants" or e.minutes > 0}
        obs = [f for f in d.of("ObservationRecorded") if fiscal_year(day(f.b("evaluation_date"))) == fy]
        a = [f for f in obs if f.s("person_id") in took_part]
        b = [f for f in obs if f.s("person_id") not in took_part]
        rows.append({"row": "comparison", "fiscal_year": fy,
                     "participants": {"observations": len(a), "practice_observed_share": share(
                         sum(1 for f in a if f.b("targeted_practice_observed") is True), len(a))},
                     "non_participants": {"observations": len(b), "practice_observed_share": share(
                         sum(1 for f in b if f.b("targeted_practice_observed") is True), len(b))}})
    return rows


# --------------------------------------------------------------------------- the equity view

def quartile(values, site):
    """"a site whose value is above b of them and equal to e of them (itself included) has the
    mid-rank share p = (b + e / 2) / n, and its quartile is 1 + floor(4p)"."""
    n = len(values)
    v = values[site]
    b = sum(1 for x in values.values() if x < v)
    e = sum(1 for x in values.values() if x == v)
    if READ["quartile"] == "below":
        return 1 + (4 * b) // n
    # 4p = 4 (2b + e) / (2n), in whole numbers
    return 1 + (4 * (2 * b + e)) // (2 * n)


def equity_view(d, pps):
    rows = []
    sites = d.sites()
    people = d.registered_people()
    # "Each fiscal year in which the accountability view has rows, or a programme had costs that
    # nobody's hours carried" (docs/metrics.md, equity).
    years = (active_fiscal_years(d) if READ["years"] == "spending"
             else sorted(set(row_years(d, pps)) | set(active_fiscal_years(d))))
    for fy in years:
        ens = enrolments(d, pps, fy, members=True)
        for attr, field in ATTRIBUTES:
            values = {s: body.get(field) for s, body in sites.items()}
            q_of = {s: quartile(values, s) for s in sites}

            def q_person(p):
                s = d.site_of(p)
                return f"Q{q_of[s]}" if s in q_of else "unknown"
            groups = sorted({f"Q{q}" for q in q_of.values()})
            if READ["quartile_rows"] == "staff":
                groups = [q for q in groups if any(q_person(p) == q for p in people)]
            if (READ["unknown_row"] == "any" and any(q_person(p) == "unknown" for p in people)) or \
                    any(q_person(e.person) == "unknown" for e in ens if e.participant) or \
                    (READ["unknown_row"] == "rows" and (
                        any(q_person(e.person) == "unknown" for e in ens) or
                        any(q_person(pp.person) == "unknown"
                            for pp in uninvested_row_pairs(d, pps, fy)))):
                groups.append("unknown")
            for q in groups:
                sel = [e for e in ens if q_person(e.person) == q]
                staff = [p for p in people if q_person(p) == q]
                teachers = sum(1 for p in staff if d.group_of(p) == "Certificated")
                r = {"row": "need_quartile", "fiscal_year": fy, "attribute": attr, "quartile": q,
                     "sites": sum(1 for s in sites if f"Q{q_of[s]}" == q)}
                r.update(group_figures(d, sel, staff, teachers, fy, pps))
                # "its spend is then $0 and its spend per teacher $0 (when it has teachers), never
                # 'not available'" - group_figures gives 0 / teachers = 0 already.
                r["open_obligations"] = {
                    "person": sum(1 for e in sel if e.participant and e.pp.status() == OWED_PERSON),
                    "district": sum(1 for pp in owed_by_district_pairs(d, pps, fy)
                                    if q_person(pp.person) == q)}
                rows.append(r)
    return rows


# --------------------------------------------------------------------------- the compliance view

def certification_signing_date(c):
    """"The signing date is the certification's signed_date, else the envelope's
    effective_date, else the date of its occurred_at; the finding says which was used."
    (signed_date is optional: A-28.)"""
    if c.b("signed_date"):
        return day(c.b("signed_date")), "signed_date"
    if c.env.get("effective_date"):
        return day(c.env["effective_date"]), "effective_date"
    return day(c.env["occurred_at"][:10]), "occurred_at"


def certification_lacks(c, fund):
    """What a certification that covers the date lacks, or None when it covers properly:
    "name the fund charged with a share above zero, be signed after its period ends (the signing
    date later than the period's last day ...), and ... within 60 days of the period's end"."""
    if not any(s.get("fund_code") == fund and (s.get("share_basis_points") or 0) > 0
               for s in c.b("splits", [])):
        return "fund not named"
    signed, _ = certification_signing_date(c)
    end = day(c.b("period_end_date"))
    if not (signed > end or (mutated("te_after") and signed == end)):
        return "not signed after the period"
    if (signed - end).days > TE_TIMELY_DAYS - mutated("te_60_days"):
        return "signed late"
    return None


def time_and_effort_rows(d):
    rows = []
    for f, fy, prog, who, cat, fund, src, cents in d.cost_records():
        # "Salary-type costs are: costs recorded DirectToPerson in the categories Stipend,
        # Substitute, CoachTime or ParticipantTime; release time with a substitute cost above
        # zero; and coach time with a cost above zero."
        if f.type == "CostIncurred":
            if f.b("allocation") != "DirectToPerson" or cat not in SALARY_CATEGORIES:
                continue
        elif cents <= 0:
            continue
        if src not in FEDERAL_SOURCES or not who:
            continue
        dt = d.cost_date(f)
        covering = [c for c in d.of("TimeAndEffortCertified") if c.s("person_id") == who and
                    day(c.b("period_begin_date")) <= dt <= day(c.b("period_end_date"))]
        if any(certification_lacks(c, fund) is None for c in covering):
            continue
        # "When several certifications cover the date, the finding names what the last of them in
        # log order lacks."
        finding = "no certification" if not covering else certification_lacks(covering[-1], fund)
        rows.append({"row": "time_and_effort_gap", "event_id": f.env["event_id"], "position": f.pos,
                     "person": who, "program": prog or "", "fiscal_year": fy,
                     "date": dt.isoformat(), "category": cat, "fund": fund,
                     "funding_source": src, "cents": cents, "finding": finding})
    return rows


def compliance_view(d, amendment_rows, tree_size):
    rows = time_and_effort_rows(d)
    for f in d.of("CostIncurred"):
        # "Costs recorded with neither an invoice number nor a purchase order number."
        if f.b("invoice_number") or f.b("purchase_order_number"):
            continue
        rows.append({"row": "cost_without_invoice_or_po", "event_id": f.env["event_id"],
                     "position": f.pos, "person": f.s("person_id") or "",
                     "program": f.s("program_id"), "fiscal_year": d.cost_fiscal_year(f),
                     "date": d.cost_date(f).isoformat(), "category": f.b("category"),
                     "fund": f.b("fund_code", ""), "funding_source": f.b("funding_source"),
                     "cents": f.b("amount_cents", 0)})
    for f, fy, prog, who, cat, fund, src, cents in d.cost_records():
        # "Federal money spent on a programme marked as required by state or local rule"
        if prog and d.is_required(prog) and src in FEDERAL_SOURCES and cents != 0:
            rows.append({"row": "federal_funds_on_required_program", "program": prog,
                         "person": who or "", "fiscal_year": fy, "category": cat, "fund": fund,
                         "funding_source": src, "cents": cents})
    rows += amendment_rows
    rows.append({"row": "log", "tree_size": tree_size, "as_of": d.as_of.isoformat()})
    return rows


# --------------------------------------------------------------------------- all views

def compute(entries, as_of_given=None, readings=None):
    READ.clear()
    READ.update(readings or DOC)
    as_of, as_of_from = reporting_date(entries, as_of_given)
    facts, amend = apply_amendments(entries)
    d = District(facts, as_of)
    rec, pps = reciprocity_view(d)
    return {
        "as_of": as_of.isoformat(), "as_of_from": as_of_from, "tree_size": len(entries),
        "reciprocity": rec,
        "accountability": accountability_view(d, pps),
        "equity": equity_view(d, pps),
        "compliance": compliance_view(d, amend, len(entries)),
        "_district": d, "_pps": pps,
    }


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--as-of")
    ap.add_argument("--view")
    a = ap.parse_args(argv)
    out = compute(load_log(a.log), a.as_of)
    out = {k: v for k, v in out.items() if not k.startswith("_")}
    if a.view:
        out = {"as_of": out["as_of"], "rows": out[a.view]}
    json.dump(out, sys.stdout, indent=1, default=str)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
