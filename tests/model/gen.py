#!/usr/bin/env python3
"""Random small districts for the differential test of docs/metrics.md.

generate(seed) -> District: a list of events (dicts in the JSON form of
docs/events.md, in log order), plus the reporting date to query with (or None
for "the day the last entry was recorded") and the fiscal year and date of the
board report. Deterministic for a seed (random.Random(seed), no clock).

Every event is appended with the ledger's admin key (an admin may sign any
event, docs/format.md key rule 3), so a district is valid whatever subset of
its events is kept, as long as each amendment's target is kept before it
(valid_subset() below enforces that for the shrinker).
"""
import datetime
import hashlib
import json
import random
import sys

D = datetime.date
BIG_SHARE = 0.04  # the share of seeds with a large district (28-40 people)
FY_START = D(2024, 7, 1)
FY_END = D(2026, 6, 30)
FUNDS = [  # (fund code, funding source of its budget)
    ("0000", "LocalGeneral"), ("4035", "TitleIIA"), ("3010", "TitleIA"),
    ("4203", "TitleIIIA"), ("3310", "IDEA"), ("6266", "StateGrant"), ("9010", "PrivateGrant"),
    ("4127", "TitleIVA"),
]
SOURCES = ["TitleIIA", "TitleIA", "TitleIIIA", "TitleIVA", "IDEA", "StateGrant", "LocalGeneral",
           "PrivateGrant"]
CATEGORIES = ["VendorContract", "Registration", "Stipend", "Substitute", "Travel", "Materials",
              "CoachTime", "ParticipantTime"]
GROUPS = ["Certificated", "Certificated", "Certificated", "Classified", "Administrator",
          "NewEmployeeOnboarding"]
ELEMENTS = ["1a", "2b", "3c", "4d"]
ATT_CATS = ["InAttendance", "InAttendance", "InAttendance", "Partial", "Tardy", "EarlyDeparture",
            "ExcusedAbsence", "UnexcusedAbsence"]
LEVELS = ["Ineffective", "MinimallyEffective", "Developing", "Effective", "HighlyEffective"]
SHARES = [0.1, 0.25, 0.25, 0.5, 0.75, 0.9, 0.5]
# Dates the figures turn on: fiscal-year boundaries, and ends of quarters
# (time-and-effort periods).
SPECIAL = [D(2024, 7, 1), D(2024, 9, 30), D(2024, 12, 31), D(2025, 3, 31), D(2025, 6, 30),
           D(2025, 7, 1), D(2025, 9, 30), D(2025, 12, 31), D(2026, 3, 31), D(2026, 6, 30)]


class District:
    def __init__(self, seed, events, as_of, report_fy, report_date, first=None):
        self.seed = seed
        self.events = events
        self.as_of = as_of            # "YYYY-MM-DD" or None
        self.report_fy = report_fy    # int
        self.report_date = report_date  # "YYYY-MM-DD" or None
        # the ids of the events appended first, in a batch of their own, when the report is made
        # at that tree size (`--size`), or None (the whole log)
        self.first = first

    def batches(self):
        """The events in one batch, or two: the longest prefix of the events in `first` (the
        report's tree size) and the rest."""
        if not self.first:
            return [self.events]
        n = 0
        while n < len(self.events) and self.events[n]["event_id"] in self.first:
            n += 1
        return [self.events[:n], self.events[n:]] if 0 < n < len(self.events) else [self.events]

    def jsonl(self, events=None):
        return "".join(json.dumps(e, separators=(",", ":")) + "\n"
                       for e in (self.events if events is None else events))


def valid_subset(events):
    """Drop amendments whose target is not earlier in the list (an admin may
    amend only an event the log holds); repeat until stable."""
    while True:
        seen = set()
        out = []
        for e in events:
            if e["event_type"] in ("RecordCorrected", "RecordVoided"):
                if e["body"]["amends_event_id"] not in seen:
                    continue
            seen.add(e["event_id"])
            out.append(e)
        if len(out) == len(events):
            return out
        events = out


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.r = random.Random(seed)
        self.n = 0
        self.events = []

    def eid(self):
        self.n += 1
        return hashlib.sha256(f"model-{self.seed}-{self.n}".encode()).hexdigest()[:32]

    def date(self, lo=FY_START, hi=FY_END):
        r = self.r
        if r.random() < 0.25:
            cands = [d for d in SPECIAL if lo <= d <= hi]
            if cands:
                return r.choice(cands)
        span = (hi - lo).days
        return lo + datetime.timedelta(days=r.randint(0, max(span, 0)))

    def emit(self, etype, subject, body, day, effective=None):
        r = self.r
        e = {"event_id": self.eid(), "event_type": etype,
             "occurred_at": day.isoformat() + "T16:00:00Z",
             "district_id": "lea-0000001", "source_system": "model-gen"}
        if effective is not None:
            e["effective_date"] = effective.isoformat()
        elif r.random() < 0.5:
            e["effective_date"] = day.isoformat()
        if subject is not None:
            e["subject"] = subject
        e["body"] = body
        self.events.append(e)
        return e


def fy_of(d):
    return d.year + 1 if d.month >= 7 else d.year


def generate(seed):
    g = Gen(seed)
    r = g.r
    nsites = r.randint(1, 5)
    npeople = r.randint(1, 8)
    if r.random() < 0.15:  # a larger district: rows of 10 or more people, so n<10 is tested both ways
        npeople = r.randint(10, 22)
    nprog = r.randint(1, 4)
    # a few districts large enough that the board report's groups (staff groups, quartiles,
    # programmes, statuses, obligations) hold 10 or more people, and some with more than ten
    # programmes (the report's row for the rest). Decided by a stream of its own, so that every
    # other seed's district is unchanged.
    big = random.Random(f"big-{seed}")
    practice = 0.35  # the chance an observation shows the targeted practice
    if big.random() < BIG_SHARE:
        npeople = big.randint(28, 40)
        if big.random() < 0.5:
            nprog = big.randint(11, 13)
        if big.random() < 0.5:  # many who changed: counts inside rows of 10 or more, both ways
            practice = 0.8
            if big.random() < 0.5:  # and programmes of 30 or more, so that some exceed 10
                npeople, nprog = big.randint(60, 80), big.randint(2, 3)
    # each person enrols in about two programmes when there are many
    enrol_p = 0.55 if nprog <= 4 else 2.2 / nprog
    sites = [f"s-{i + 1}" for i in range(nsites)]
    people = [f"p-{i + 1}" for i in range(npeople)]
    progs = [f"pd-{i + 1}" for i in range(nprog)]
    ev = []  # (sort key, thunk) pairs are overkill: we emit in a shuffled-but-plausible order

    # ---- context
    for s in sites:
        body = {"school_category": r.choice(["Elementary", "Middle", "High"]),
                "students_in_poverty_share": r.choice(SHARES),
                "english_learner_share": r.choice(SHARES),
                "foster_youth_share": r.choice([0.0, 0.01, 0.01, 0.05]),
                "students_with_disabilities_share": r.choice(SHARES)}
        g.emit("SiteRegistered", {"site_id": s}, body, D(2024, 7, 1))
        if r.random() < 0.15:  # re-registration with new shares
            body = dict(body, students_in_poverty_share=r.choice(SHARES))
            g.emit("SiteRegistered", {"site_id": s}, body, D(2025, 7, 1))
    rates = {}
    for p in people:
        body = {"participant_group": r.choice(GROUPS)}
        if r.random() < 0.8:
            body["hourly_cost_rate_cents"] = r.choice([4000, 5555, 6206, 7333])
            rates[p] = body["hourly_cost_rate_cents"]
        g.emit("PersonRegistered", {"person_id": p}, body, D(2024, 7, 1))
        for k in range(r.choice([0, 1, 1, 1, 2])):
            if not sites:
                break
            ab = {"participant_group": r.choice(GROUPS), "begin_date": g.date().isoformat()}
            if r.random() < 0.3:
                ab["hourly_cost_rate_cents"] = r.choice([4500, 6000, 8000])
            g.emit("AssignmentChanged", {"person_id": p, "site_id": r.choice(sites)}, ab,
                   D.fromisoformat(ab["begin_date"]))
    progdefs = {}
    sessions = {}
    for pr in progs:
        body = {"professional_development_title": "title-" + pr, "offered_by": "District",
                "delivery_method": "Onsite", "total_hours": 10, "activity_type": "Workshop"}
        flags = ["sustained", "intensive", "collaborative", "job_embedded", "data_driven",
                 "classroom_focused"]
        if r.random() < 0.4:
            for f in flags:
                body[f] = True
        elif r.random() < 0.5:
            for f in flags:
                if r.random() < 0.6:
                    body[f] = r.random() < 0.8
        if r.random() < 0.35:
            body["required"] = r.random() < 0.8
        if r.random() < 0.4:
            body["follow_up_window_days"] = r.choice([0, 30, 60, 200, 365])
        if r.random() < 0.8:
            body["targeted_rubric_elements"] = r.sample(ELEMENTS, r.randint(1, 2))
        progdefs[pr] = body
        g.emit("ProgramDefined", {"program_id": pr}, body, D(2024, 7, 1))
        sessions[pr] = []
        for k in range(r.randint(1, 3)):
            sid = f"{pr}-s{k + 1}"
            sd = g.date()
            sessions[pr].append((sid, sd))
            g.emit("SessionScheduled", {"program_id": pr, "session_id": sid},
                   {"start_date": sd.isoformat(), "scheduled_minutes": 180}, sd)

    # ---- budgets
    funds_used = r.sample(FUNDS, r.randint(1, 4))
    for fund, src in funds_used:
        for fy in (2025, 2026):
            if r.random() < 0.7:
                g.emit("BudgetAllocated", {"fiscal_year": fy},
                       {"fund_code": fund, "funding_source": src,
                        "amount_cents": r.choice([0, 100000, 250000, 1000000])},
                       D(fy - 1, 7, 1))
                if r.random() < 0.25:  # a second line, sometimes naming another source
                    g.emit("BudgetAllocated", {"fiscal_year": fy},
                           {"fund_code": fund,
                            "funding_source": r.choice([src, r.choice(SOURCES)]),
                            "amount_cents": r.choice([50000, 0])}, D(fy - 1, 7, 2))

    def fund_pick():
        if r.random() < 0.8:
            return r.choice(funds_used)
        return r.choice(FUNDS)

    # ---- participation
    enrol = []
    for p in people:
        for pr in progs:
            if r.random() < enrol_p:
                enrol.append((p, pr))
    for p, pr in enrol:
        if r.random() < 0.8:
            g.emit("ParticipantRegistered", {"person_id": p, "program_id": pr},
                   {"registration_date": D(2024, 8, 1).isoformat()}, D(2024, 8, 1))
        for k in range(r.choice([0, 1, 1, 2, 3, 4])):
            sid, sd = r.choice(sessions[pr])
            day = sd if r.random() < 0.7 else g.date()
            mins = r.choice([0, 60, 180, 420, 600, 840, 1440, 1440, 1440, 30])
            g.emit("AttendanceRecorded", {"person_id": p, "program_id": pr, "session_id": sid},
                   {"attendance_date": day.isoformat(),
                    "attendance_event_category": r.choice(ATT_CATS),
                    "credited_minutes": mins}, day)
        if r.random() < 0.4:
            day = g.date()
            g.emit("ParticipationCompleted", {"person_id": p, "program_id": pr},
                   {"activity_completion_date": day.isoformat()}, day)
        for k in range(r.choice([0, 0, 1, 2])):
            day = g.date()
            mx = r.choice([5, 5, 4, 10])
            g.emit("ReactionSurveySubmitted", {"person_id": p, "program_id": pr},
                   {"survey_identifier": "exit", "response_date": day.isoformat(),
                    "evaluation_score": r.randint(1, mx), "max_score": mx}, day)
        for phase in ("Pre", "Post"):
            if r.random() < 0.35:
                day = g.date()
                mx = r.choice([100, 100, 50])
                g.emit("LearningAssessed", {"person_id": p, "program_id": pr},
                       {"assessment_identifier": "check", "phase": phase,
                        "assessed_date": day.isoformat(), "score": r.randint(0, mx),
                        "max_score": mx}, day)
    for k in range(r.choice([0, 1, 2])):
        if sites:
            day = g.date()
            g.emit("OrganizationalSupportRecorded",
                   {"program_id": r.choice(progs), "site_id": r.choice(sites)},
                   {"support_type": "CollaborationTime", "recorded_date": day.isoformat()}, day)

    # ---- costs
    salary = []  # (person, date, fund) of costs a time-and-effort certification may cover
    for k in range(r.randint(0, 7)):
        pr = r.choice(progs)
        fy = r.choice([2025, 2026])
        alloc = r.choice(["PerParticipant", "PerParticipant", "PerSession", "DirectToPerson",
                          "DirectToPerson"])
        fund, src = fund_pick()
        if r.random() < 0.15:
            src = r.choice(SOURCES)
        subj = {"program_id": pr, "fiscal_year": fy}
        if alloc == "DirectToPerson" and r.random() < 0.95:
            subj["person_id"] = r.choice(people)
        if alloc == "PerSession" and r.random() < 0.9:
            subj["session_id"] = r.choice(sessions[pr])[0]
        body = {"category": r.choice(CATEGORIES),
                "amount_cents": r.choice([100000, 33333, 1001, 7, 250000, -5000, 99999]),
                "allocation": alloc, "fund_code": fund, "funding_source": src}
        if r.random() < 0.6:
            body["invoice_number"] = f"inv-{k}"
        if r.random() < 0.3:
            body["purchase_order_number"] = f"po-{k}"
        day = g.date(D(fy - 1, 7, 1), D(fy, 6, 30))
        if r.random() < 0.1:
            day = g.date()  # a date outside its fiscal year
        eff = day if r.random() < 0.6 else None
        e = g.emit("CostIncurred", subj, body, day, effective=eff)
        if eff is None and "effective_date" in e and r.random() < 0.5:
            del e["effective_date"]
        if alloc == "DirectToPerson" and subj.get("person_id"):
            salary.append((subj["person_id"], D.fromisoformat(
                e.get("effective_date") or e["occurred_at"][:10]), fund))
    # release time and coaching: a fund with or without its source (older records name no
    # source: the views take the budget's), sometimes a source the budget does not name, rarely
    # a source without a fund
    def add_fund_and_source(body):
        x = r.random()
        if x < 0.75:
            fund, src = fund_pick()
            body["fund_code"] = fund
            y = r.random()
            if y < 0.35:
                body["funding_source"] = src
            elif y < 0.5:
                body["funding_source"] = r.choice(SOURCES)
        elif x < 0.8:
            body["funding_source"] = r.choice(SOURCES)

    for k in range(r.randint(0, 3)):
        p = r.choice(people)
        day = g.date()
        subj = {"person_id": p}
        if r.random() < 0.85:
            subj["program_id"] = r.choice(progs)
        body = {"staff_leave_event_category": r.choice(["ProfessionalDevelopment", "ReleaseTime"]),
                "begin_date": day.isoformat(), "substitute_assigned": True,
                "covered_minutes": 420}
        if r.random() < 0.85:
            body["substitute_cost_cents"] = r.choice([17500, 0, 9999])
        add_fund_and_source(body)
        g.emit("SubstituteCoverageRecorded", subj, body, day)
        if body.get("fund_code"):
            salary.append((p, day, body["fund_code"]))
    for k in range(r.randint(0, 3)):
        p = r.choice(people)
        day = g.date()
        subj = {"person_id": p}
        if r.random() < 0.85:
            subj["program_id"] = r.choice(progs)
        body = {"coaching_cycle_id": "cyc-" + p, "coach_person_id": "coach-1",
                "session_date": day.isoformat(), "coaching_minutes": r.choice([0, 45, 60, 100, 30, 90])}
        if r.random() < 0.7:
            body["coach_hourly_rate_cents"] = r.choice([9000, 10001, 7777])
        if r.random() < 0.7:  # a newer record: may name a fund and source (older ones name none)
            add_fund_and_source(body)
        g.emit("CoachingSessionLogged", subj, body, day)
        if body.get("fund_code"):
            salary.append((p, day, body["fund_code"]))

    # ---- evidence
    for p in people:
        for k in range(r.choice([0, 1, 2, 3, 4])):
            day = g.date()
            ratings = []
            for el in r.sample(ELEMENTS, r.randint(0, 3)):
                ratings.append({"evaluation_element_title": el, "rating": r.choice([1, 2, 2, 3, 3, 4, 2.5])})
            body = {"performance_evaluation_type": r.choice(["FormalObs", "InformalObs", "Walkthrough"]),
                    "evaluation_date": day.isoformat(), "reviewer_person_id": "rev-1",
                    "targeted_practice_observed": r.random() < practice}
            if ratings:
                body["element_ratings"] = ratings
            g.emit("ObservationRecorded", {"person_id": p}, body, day)
        for k in range(r.choice([0, 0, 1, 2])):
            day = g.date()
            subj = {"person_id": p}
            if r.random() < 0.6:
                subj["program_id"] = r.choice(progs)
            title = f"goal-{p}-{k}"
            g.emit("GoalSet", subj, {"goal_title": title, "assignment_date": day.isoformat()}, day)
            if r.random() < 0.4:
                d2 = g.date(day)
                g.emit("GoalCompleted", {"person_id": p},
                       {"goal_title": title, "completed_date": d2.isoformat(),
                        "completed_indicator": r.random() < 0.8}, d2)
        for k in range(r.choice([0, 0, 1, 2])):
            day = g.date()
            sy = fy_of(day) if r.random() < 0.9 else fy_of(day) + 1
            g.emit("EvaluationRatingFinalized", {"person_id": p, "school_year": sy},
                   {"performance_evaluation_title": "annual", "actual_date": day.isoformat(),
                    "performance_evaluation_rating_level": r.choice(LEVELS)}, day)
        for k in range(r.choice([0, 0, 1])):
            day = g.date()
            body = {"student_growth_measure_identifier": "growth", "student_growth_type": "Scale",
                    "fact_as_of_date": day.isoformat(),
                    "student_growth_actual_score": r.choice([40, 50, 60]),
                    "student_growth_n_count": 20}
            if r.random() < 0.7:
                body["student_growth_target_score"] = 50
            if r.random() < 0.4:
                body["student_growth_met"] = r.random() < 0.5
            g.emit("StudentOutcomeMeasured", {"person_id": p, "school_year": fy_of(day)}, body, day)
        # time and effort
        for k in range(r.choice([0, 0, 1, 2])):
            q = r.choice([(D(2024, 7, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 6, 30)),
                          (D(2024, 7, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31)),
                          (D(2026, 1, 1), D(2026, 6, 30)), (D(2025, 7, 1), D(2026, 6, 30))])
            lags = [0, 1, 30, 60, 61, 90, -5]
            lag = r.choice(lags)
            signed = q[1] + datetime.timedelta(days=lag)
            splits = [{"fund_code": fund_pick()[0], "share_basis_points": r.choice([10000, 5000, 0])}]
            if r.random() < 0.3:
                splits.append({"fund_code": fund_pick()[0], "share_basis_points": 5000})
            body = {"period_begin_date": q[0].isoformat(), "period_end_date": q[1].isoformat(),
                    "splits": splits, "certifier_person_id": "cert-1"}
            env_day = signed
            if r.random() < 0.5:
                # a newer record names its signing day; the envelope's day may differ
                body["signed_date"] = signed.isoformat()
                if r.random() < 0.6:
                    env_day = q[1] + datetime.timedelta(days=r.choice(lags))
            eff = None
            if r.random() < 0.7:
                eff = env_day
                if r.random() < 0.3:  # an effective_date other than occurred_at's day
                    eff = q[1] + datetime.timedelta(days=r.choice(lags))
            e = g.emit("TimeAndEffortCertified", {"person_id": p}, body, env_day, effective=eff)
            if eff is None and "effective_date" in e and r.random() < 0.5:
                del e["effective_date"]

    # certifications aimed at a charge: its half year, its fund, signed on the days the rules
    # turn on (the period's last day, the day after, 59, 60 and 61 days after)
    for p, day, fund in salary:
        if r.random() < 0.6:
            half = (D(day.year, 1, 1), D(day.year, 6, 30)) if day.month <= 6 else \
                (D(day.year, 7, 1), D(day.year, 12, 31))
            signed = half[1] + datetime.timedelta(days=r.choice([0, 1, 30, 59, 60, 60, 61]))
            body = {"period_begin_date": half[0].isoformat(), "period_end_date": half[1].isoformat(),
                    "splits": [{"fund_code": fund, "share_basis_points": r.choice([10000, 5000])}],
                    "certifier_person_id": "cert-1"}
            env_day = signed
            if r.random() < 0.5:
                body["signed_date"] = signed.isoformat()
                env_day = signed + datetime.timedelta(days=r.choice([0, -3, 5]))
            g.emit("TimeAndEffortCertified", {"person_id": p}, body, env_day,
                   effective=env_day if r.random() < 0.5 else None)

    # ---- shuffle a little (log order is not date order), keeping definitions mostly first
    evs = g.events
    for k in range(r.randint(0, 4)):
        i, j = r.randrange(len(evs)), r.randrange(len(evs))
        evs[i], evs[j] = evs[j], evs[i]

    # ---- corrections and voids
    amended = []
    candidates = [e for e in evs if e["event_type"] not in ("SiteRegistered",)]
    for k in range(r.choice([0, 0, 1, 2, 3])):
        if not candidates:
            break
        t = r.choice(candidates)
        day = D.fromisoformat(t["occurred_at"][:10])
        kind = r.random()
        if kind < 0.55:
            nb = json.loads(json.dumps(t["body"]))
            mutate(r, t["event_type"], nb)
            body = {"amends_event_id": t["event_id"], "reason_code": "fix", "body_type": t["event_type"],
                    "body": nb}
            if r.random() < 0.05:  # a correction of a different type: cannot apply
                body["body_type"] = "GoalCompleted"
                body["body"] = {"goal_title": "x", "completed_date": "2025-01-01",
                                "completed_indicator": True}
            c = g.emit("RecordCorrected", None, body, day)
            amended.append(c)
            if r.random() < 0.3:  # void the correction
                g.emit("RecordVoided", None, {"amends_event_id": c["event_id"], "reason_code": "undo"}, day)
        elif kind < 0.9:
            g.emit("RecordVoided", None, {"amends_event_id": t["event_id"], "reason_code": "dup"}, day)
            if r.random() < 0.2:  # void again: already voided
                g.emit("RecordVoided", None, {"amends_event_id": t["event_id"], "reason_code": "dup2"}, day)
        else:
            # a correction after a void: cannot apply
            g.emit("RecordVoided", None, {"amends_event_id": t["event_id"], "reason_code": "dup"}, day)
            g.emit("RecordCorrected", None, {"amends_event_id": t["event_id"], "reason_code": "late",
                                               "body_type": t["event_type"], "body": t["body"]}, day)

    as_of = None
    if r.random() < 0.8:
        as_of = r.choice([D(2025, 6, 30), D(2025, 7, 1), D(2025, 12, 31), D(2026, 6, 30),
                          D(2026, 7, 1), g.date(), g.date(D(2025, 1, 1), D(2027, 6, 30))]).isoformat()
    report_fy = r.choice([2025, 2026])
    report_date = as_of if r.random() < 0.7 else None

    # ---- earlier years and decisions on the record: a stream of their own (every event above,
    # and the dates and year above, are what they were before these parts existed)
    g.r = random.Random(f"hist-{seed}")
    ctx = dict(people=people, progs=progs, sites=sites, sessions=sessions, enrol=enrol,
               funds_used=funds_used, progdefs=progdefs, practice=practice, preds={})
    history(g, ctx)
    decisions(g, ctx, report_fy)
    # a quarter of the reports are made at an earlier tree size (`--size`, the size after a
    # first batch): "Each is the figure of the board report for that year computed at the same
    # tree size" (a stream of its own)
    first = None
    sz = random.Random(f"size-{seed}")
    if sz.random() < 0.25:
        n = int(len(evs) * sz.uniform(0.5, 0.95))
        first = frozenset(e["event_id"] for e in evs[:n])
    return District(seed, evs, as_of, report_fy, report_date, first)


def history(g, ctx):
    """Some districts span two to five fiscal years (FY2022-FY2026; rarely FY2021 as well, a
    sixth, so that the report's four years before its own are a limit): the earlier years get
    attendance, costs, budgets, completions, observations, goals and summative ratings. The
    summative ratings' `performance_evaluation_title` (a year's "evaluations", metrics.md "A
    measure whose definition changed") is sometimes another in some year, for the earlier years
    and for FY2025-FY2026 (whose ratings above are all "annual"), and sometimes corrected."""
    r = g.r
    people, progs, sites = ctx["people"], ctx["progs"], ctx["sites"]
    years = []
    if r.random() < 0.7:
        first = r.choice([2022, 2023, 2024, 2024])
        years = [y for y in range(first, 2025) if y == first or r.random() < 0.85]
        if r.random() < 0.08:
            years = [2021] + years
    titles = {}

    def title_for(y):
        if y not in titles:
            titles[y] = r.choice(["annual", "annual", "annual", "framework-2", "mixed"])
        t = titles[y]
        return r.choice(["annual", "framework-2"]) if t == "mixed" else t

    for y in years:
        lo, hi = D(y - 1, 7, 1), D(y, 6, 30)
        for fund, src in ctx["funds_used"]:
            if r.random() < 0.6:
                g.emit("BudgetAllocated", {"fiscal_year": y},
                       {"fund_code": fund, "funding_source": src,
                        "amount_cents": r.choice([0, 100000, 250000, 1000000])}, lo)
        sess = {}
        for pr in progs:
            sess[pr] = []
            for k in range(r.randint(0, 2)):
                sid = f"{pr}-y{y}-s{k + 1}"
                sd = g.date(lo, hi)
                sess[pr].append(sid)
                g.emit("SessionScheduled", {"program_id": pr, "session_id": sid},
                       {"start_date": sd.isoformat(), "scheduled_minutes": 180}, sd)
        # "The same programme in two years is the row with the same programme id, else the one
        # row with the same title": now and then a programme is offered this year under an id of
        # its own (pd-1-fy2024) and the title of pd-1, which then takes no part that year
        # ("clean"), or does ("both": the title names two programmes), or two such ids ("two")
        alias = {}
        if r.random() < 0.6:
            pr = r.choice(progs)
            kind = r.choice(["clean", "clean", "clean", "both", "two"])
            ids = [f"{pr}-fy{y}"] + ([f"{pr}-fy{y}b"] if kind == "two" else [])
            for pid in ids:
                g.emit("ProgramDefined", {"program_id": pid}, dict(ctx["progdefs"][pr]), lo)
                sid, sd = f"{pid}-s1", g.date(lo, hi)
                sess[pid] = [sid]
                g.emit("SessionScheduled", {"program_id": pid, "session_id": sid},
                       {"start_date": sd.isoformat(), "scheduled_minutes": 180}, sd)
            alias[pr] = (ids, kind)
            ctx["preds"].setdefault(y, []).extend(ids)

        def in_year(pr):
            if pr not in alias:
                return pr
            ids, kind = alias[pr]
            return pr if kind == "both" and r.random() < 0.5 else r.choice(ids)
        p_att = r.choice([0.4, 0.6, 0.8])
        pairs = list(ctx["enrol"])
        # now and then someone took part only in an earlier year
        for k in range(r.choice([0, 0, 1, 2])):
            pairs.append((r.choice(people), r.choice(progs)))
        for p, pr in pairs:
            if r.random() >= p_att:
                continue
            pr = in_year(pr)
            for k in range(r.choice([1, 1, 2, 3])):
                day = g.date(lo, hi)
                sid = r.choice(sess[pr] or [x for x, _ in ctx["sessions"][pr]])
                g.emit("AttendanceRecorded", {"person_id": p, "program_id": pr, "session_id": sid},
                       {"attendance_date": day.isoformat(),
                        "attendance_event_category": r.choice(ATT_CATS),
                        "credited_minutes": r.choice([0, 60, 180, 420, 840, 1440, 1440, 1200])},
                       day)
            if r.random() < 0.3:
                day = g.date(lo, hi)
                g.emit("ParticipationCompleted", {"person_id": p, "program_id": pr},
                       {"activity_completion_date": day.isoformat()}, day)
        for k in range(r.randint(0, 5)):
            pr = in_year(r.choice(progs))
            alloc = r.choice(["PerParticipant", "PerParticipant", "PerSession", "DirectToPerson"])
            fund, src = r.choice(ctx["funds_used"])
            subj = {"program_id": pr, "fiscal_year": y}
            if alloc == "DirectToPerson":
                subj["person_id"] = r.choice(people)
            if alloc == "PerSession" and sess.get(pr):
                subj["session_id"] = r.choice(sess[pr])
            body = {"category": r.choice(CATEGORIES),
                    "amount_cents": r.choice([100000, 33333, 1001, 250000, -5000, 99999]),
                    "allocation": alloc, "fund_code": fund, "funding_source": src,
                    "invoice_number": f"inv-y{y}-{k}"}
            day = g.date(lo, hi)
            g.emit("CostIncurred", subj, body, day, effective=day)
        for p in people:
            for k in range(r.choice([0, 1, 1, 2])):
                day = g.date(lo, hi)
                body = {"performance_evaluation_type": "FormalObs",
                        "evaluation_date": day.isoformat(), "reviewer_person_id": "rev-1",
                        "targeted_practice_observed": r.random() < ctx["practice"]}
                els = r.sample(ELEMENTS, r.randint(0, 2))
                if els:
                    body["element_ratings"] = [
                        {"evaluation_element_title": el, "rating": r.choice([1, 2, 3, 4])}
                        for el in els]
                g.emit("ObservationRecorded", {"person_id": p}, body, day)
            if r.random() < 0.45:
                day = g.date(lo, hi)
                g.emit("EvaluationRatingFinalized", {"person_id": p, "school_year": y},
                       {"performance_evaluation_title": title_for(y),
                        "actual_date": day.isoformat(),
                        "performance_evaluation_rating_level": r.choice(LEVELS)}, day)
            if r.random() < 0.12:
                day = g.date(lo, hi)
                subj = {"person_id": p}
                if r.random() < 0.6:
                    subj["program_id"] = r.choice(progs)
                g.emit("GoalSet", subj, {"goal_title": f"goal-{p}-y{y}",
                                         "assignment_date": day.isoformat()}, day)
    # FY2025 and FY2026: now and then a programme that took no part in the year (in the events
    # above) is offered under an id of its own with its title (its match by title in the year
    # before or after), now and then under two (the title then names two programmes that year)
    def offer(pr, pid, y, lo, hi):
        g.emit("ProgramDefined", {"program_id": pid}, dict(ctx["progdefs"][pr]), lo)
        ctx["preds"].setdefault(y, []).append(pid)
        for p in r.sample(people, min(len(people), r.randint(1, 12))):
            day = g.date(lo, hi)
            g.emit("AttendanceRecorded", {"person_id": p, "program_id": pid,
                                          "session_id": f"{pid}-s1"},
                   {"attendance_date": day.isoformat(), "attendance_event_category":
                    "InAttendance", "credited_minutes": r.choice([60, 420, 1440])}, day)
        if r.random() < 0.7:
            fund, src = r.choice(ctx["funds_used"])
            g.emit("CostIncurred", {"program_id": pid, "fiscal_year": y},
                   {"category": "VendorContract", "amount_cents": r.choice([50000, 120000]),
                    "allocation": "PerParticipant", "fund_code": fund,
                    "funding_source": src, "invoice_number": f"inv-{pid}"}, lo, effective=lo)

    for y in (2025, 2026):
        lo, hi = D(y - 1, 7, 1), D(y, 6, 30)
        busy = {e["subject"].get("program_id") for e in g.events
                if (e["event_type"] == "AttendanceRecorded"
                    and lo <= D.fromisoformat(e["body"]["attendance_date"]) <= hi)
                or (e["event_type"] == "CostIncurred" and e["subject"].get("fiscal_year") == y)}
        idle = [pr for pr in progs if pr not in busy]
        if idle and r.random() < 0.5:
            pr = r.choice(idle)
            for pid in [f"{pr}-fy{y}"] + ([f"{pr}-fy{y}b"] if r.random() < 0.3 else []):
                offer(pr, pid, y, lo, hi)
    # FY2025 and FY2026: now and then ratings under another evaluation
    for y in (2025, 2026):
        if r.random() < 0.3:
            t = r.choice(["framework-2", "framework-2", "Danielson 2022"])
            for k in range(r.randint(1, 3)):
                day = g.date(D(y - 1, 7, 1), D(y, 6, 30))
                g.emit("EvaluationRatingFinalized",
                       {"person_id": r.choice(people), "school_year": y},
                       {"performance_evaluation_title": t, "actual_date": day.isoformat(),
                        "performance_evaluation_rating_level": r.choice(LEVELS)}, day)
    # the evaluations corrected or voided, so that the set of a year is decided after amendments
    rated = [e for e in g.events if e["event_type"] == "EvaluationRatingFinalized"]
    for k in range(r.choice([0, 0, 0, 1, 2]) if rated else 0):
        t = r.choice(rated)
        day = D.fromisoformat(t["occurred_at"][:10])
        if r.random() < 0.6:
            nb = dict(t["body"], performance_evaluation_title=r.choice(
                ["annual", "framework-2", "Danielson 2022"]))
            c = g.emit("RecordCorrected", None,
                       {"amends_event_id": t["event_id"], "reason_code": "title",
                        "body_type": t["event_type"], "body": nb}, day)
            if r.random() < 0.25:
                g.emit("RecordVoided", None, {"amends_event_id": c["event_id"],
                                              "reason_code": "undo"}, day)
        else:
            g.emit("RecordVoided", None, {"amends_event_id": t["event_id"],
                                          "reason_code": "dup"}, day)


DECISIONS = ["Continue", "Revise", "Expand", "Reduce", "Stop"]
MEASURES = ["invested_cents", "participants", "reach", "hours", "level_4_share",
            "people_with_demonstrated_change", "cost_per_demonstrated_change_cents",
            "owed_by_staff", "owed_by_district",
            # not headline keys: "the key itself when it is not a headline key"
            "implementation_rate", "spend_per_teacher_cents"]
RATIONALES = ["Participation fell; the vendor contract ends.", "Strong practice change seen.",
              "Costs rose without evidence of change",
              "Réviser le contenu — retours des équipes",
              "x", "Keep going; more coaching next year.", "The board asked for fewer sessions.",
              "a" * 500, "Évalué: 3 sites, 2 cohorts; ½ the hours"]


# diff.py --plain-words: rationales folded to ASCII and cut to 20 characters, measures to 20
# characters joined (the same random draws), for an engine whose PDF cannot draw longer ones in
# the decisions table (FINDINGS.md F-1)
PLAIN_WORDS = False


def words(text):
    if PLAIN_WORDS:
        return text.encode("ascii", "replace").decode().replace("?", "e")[:20]
    return text


def measures(keys):
    if PLAIN_WORDS:
        out = []
        for k in keys:
            if len(", ".join(out + [k])) <= 20:
                out.append(k)
        return out
    return keys


def cites_this_log(e):
    """A decision, or a correction of one, whose report is this log's at the checkpoint before
    it ("@this..."; filled in by diff.py when it appends)."""
    b = e.get("body") or {}
    if e["event_type"] == "RecordCorrected" and b.get("body_type") == "ProgramReviewed":
        b = b.get("body") or {}
    elif e["event_type"] != "ProgramReviewed":
        return False
    return str(b.get("report_origin", "")).startswith("@this")


def decisions(g, ctx, report_fy):
    """ProgramReviewed events (docs/metrics.md "Decisions on the record"): every decision, about
    last year and the report's year (and now and then another year), sometimes two for one
    programme and year, corrected (body, or subject: another year or programme), voided, a
    correction voided; a Revise sometimes followed by a new ProgramDefined of the programme
    (counts), a correction of its old definition (does not), a new definition recorded before
    the decision (does not), or a new definition voided since."""
    r = g.r
    progs = ctx["progs"]
    if r.random() < 0.2:
        return
    last = report_fy - 1
    made = []

    def review(prog, fy, day=None):
        day = day or g.date(D(fy - 1, 9, 1), D(fy + 1, 6, 30))
        body = {"decision": r.choice(DECISIONS + ["Stop", "Revise"]),
                "decided_date": day.isoformat(),
                "rationale": words(r.choice(RATIONALES)),
                # "@this...": diff.py fills in this log's origin and checkpoint when it appends
                # the decision (metrics.md "The report a decision read"); else another log's
                "report_origin": r.choice(["@this", "@this", "@this", "@this-badroot",
                                           "@this-future", "evident.example/other",
                                           "evident.example/other"]),
                "report_tree_size": r.choice([r.randint(1, 900), 10 ** 6]),
                "report_root_hash": hashlib.sha256(f"root-{g.n}".encode()).hexdigest()}
        if r.random() < 0.85:
            body["measures_reviewed"] = measures(r.sample(MEASURES, r.randint(0, 3)))
        e = g.emit("ProgramReviewed", {"program_id": prog, "fiscal_year": fy}, body, day)
        made.append(e)
        return e

    def redefine(prog, day):
        base = prog.split("-fy")[0]
        old = ctx["progdefs"].get(base, {"professional_development_title": "title-" + prog,
                                         "offered_by": "District", "delivery_method": "Onsite",
                                         "total_hours": 10, "activity_type": "Workshop"})
        # a new title (the programme no longer matches another by its title), or the same one
        # with other hours
        if r.random() < 0.6:
            nb = dict(old, professional_development_title=f"title-{prog} (rev {g.n})")
        else:
            nb = dict(old, total_hours=r.choice([6, 12, 30]))
        if r.random() < 0.3:
            nb["follow_up_window_days"] = r.choice([30, 120, 365])
        if prog == base:
            ctx["progdefs"][prog] = nb
        return g.emit("ProgramDefined", {"program_id": prog}, nb, day)

    # programmes with costs last year (so that what followed turns on spending both ways)
    spent = sorted({e["subject"]["program_id"] for e in g.events
                    if e["event_type"] == "CostIncurred"
                    and e["subject"].get("fiscal_year") == last})
    for k in range(r.randint(1, 6)):
        prog = r.choice(spent) if spent and r.random() < 0.5 else r.choice(progs)
        preds = ctx["preds"].get(last, [])
        if preds and r.random() < 0.4:  # last year's offering under an id of its own
            prog = r.choice(preds)
        if r.random() < 0.03:
            prog = "pd-99"  # a programme never defined
        fy = r.choice([last, last, last, report_fy, report_fy, last - 1, report_fy + 1])
        if r.random() < 0.1:
            redefine(prog, D(fy, 7, 15))  # before the decision: does not count
        e = review(prog, fy)
        if r.random() < 0.25:  # a second decision for the same programme and year
            review(prog, fy)
        if e["body"]["decision"] == "Revise" or r.random() < 0.1:
            x = r.random()
            day = D.fromisoformat(e["body"]["decided_date"])
            if x < 0.5:
                # the programme, or this year's programme it matches by title (its id without
                # the year's)
                nd = redefine(prog.split("-fy")[0] if "-fy" in prog and r.random() < 0.5
                              else prog, day)
                if r.random() < 0.1:
                    g.emit("RecordVoided", None, {"amends_event_id": nd["event_id"],
                                                  "reason_code": "withdrawn"}, day)
            elif x < 0.8:
                olds = [o for o in g.events if o["event_type"] == "ProgramDefined"
                        and o["subject"]["program_id"] == prog]
                if olds:
                    nb = dict(olds[0]["body"], professional_development_title=olds[0]["body"][
                        "professional_development_title"] + " (corrected)")
                    g.emit("RecordCorrected", None, {"amends_event_id": olds[0]["event_id"],
                                                     "reason_code": "retitle",
                                                     "body_type": "ProgramDefined", "body": nb},
                           day)
    # corrections and voids of decisions
    for e in list(made):
        x = r.random()
        day = D.fromisoformat(e["body"]["decided_date"])
        if x < 0.2:
            nb = dict(e["body"], decision=r.choice(DECISIONS),
                      rationale=words(r.choice(RATIONALES)))
            if r.random() < 0.5:
                nb["measures_reviewed"] = measures(r.sample(MEASURES, r.randint(1, 4)))
            body = {"amends_event_id": e["event_id"], "reason_code": "fix",
                    "body_type": "ProgramReviewed", "body": nb}
            if r.random() < 0.25:  # another year or programme
                body["subject"] = {"program_id": r.choice(progs),
                                   "fiscal_year": r.choice([last, report_fy])}
            c = g.emit("RecordCorrected", None, body, day)
            if r.random() < 0.2:
                g.emit("RecordVoided", None, {"amends_event_id": c["event_id"],
                                              "reason_code": "undo"}, day)
        elif x < 0.32:
            g.emit("RecordVoided", None, {"amends_event_id": e["event_id"],
                                          "reason_code": "dup"}, day)


def mutate(r, etype, b):
    """Change one figure-bearing field of a body (for corrections)."""
    if etype == "AttendanceRecorded":
        b["credited_minutes"] = r.choice([0, 30, 840, 1440])
    elif etype == "CostIncurred":
        b["amount_cents"] = r.choice([1, 50000, 12345])
        if r.random() < 0.5:
            b["fund_code"] = r.choice(FUNDS)[0]
    elif etype == "ObservationRecorded":
        b["targeted_practice_observed"] = not b["targeted_practice_observed"]
        for x in b.get("element_ratings", []):
            x["rating"] = r.choice([1, 4])
    elif etype == "PersonRegistered":
        b["participant_group"] = r.choice(GROUPS)
    elif etype == "EvaluationRatingFinalized":
        b["performance_evaluation_rating_level"] = r.choice(LEVELS)
    elif etype == "GoalSet":
        b["assignment_date"] = "2025-03-01"
    elif etype == "SubstituteCoverageRecorded":
        b["substitute_cost_cents"] = 1234
        if r.random() < 0.4:
            b["funding_source"] = r.choice(SOURCES)
    elif etype == "CoachingSessionLogged":
        b["coaching_minutes"] = 90
        if r.random() < 0.4:
            b["fund_code"] = r.choice(FUNDS)[0]
    elif etype == "TimeAndEffortCertified":
        if r.random() < 0.5:
            b["period_end_date"] = "2025-06-30"
        else:
            b["signed_date"] = r.choice(["2025-06-30", "2025-07-01", "2025-08-29", "2025-08-30"])
    elif etype == "ProgramDefined":
        b["follow_up_window_days"] = 10
    elif etype == "AssignmentChanged":
        b["begin_date"] = "2026-01-01"
    elif etype == "BudgetAllocated":
        b["amount_cents"] = 777
    elif etype == "ParticipationCompleted":
        b["activity_completion_date"] = "2026-06-30"


if __name__ == "__main__":
    d = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    sys.stdout.write(d.jsonl())
    print(json.dumps({"as_of": d.as_of, "report_fy": d.report_fy, "report_date": d.report_date}),
          file=sys.stderr)
