"""The board report's summary.json figures (docs/metrics.md "Board report"), every one:

  headline   every figure and its `suppressed` flag
  privacy    rows_suppressed ("The report states the rule and how many rows it touched")
  tables     investment_by_source, investment_by_category (spend, share; rows by source or
             category, and the total), budget, participation (each staff group and all staff),
             hours, guskey, reciprocity, programmes (the ten with the most spending and one row
             for the rest), programmes_all, equity_poverty, equity_measures, obligations: every
             figure of every row and total, and every row's `suppressed` list

Rows are matched by their label: the words the engine prints are mapped to the document's names
(a funding source, a category, a staff group, a quartile, a status, ...) by the small tables
LABELS below; they are words, not figures.

The report is judged on its own date (--date, else the day the last entry was recorded), so the
model's views are computed again on that date.
"""
import re

import model

MIN_PEOPLE = 10
# "the ten with the most spending are shown and the rest summed in one row"
TOP_PROGRAMMES = 10
OTHER = "(other programmes)"


def private(n):
    """"A row describing 1 to 9 people shows none of its figures about them"."""
    return 1 <= n < MIN_PEOPLE


# ------------------------------------------------------------------ labels (words, not figures)

# docs/events.md's names for funding sources, categories and staff groups; metrics.md's for the
# rest. Each table: the engine's label -> the model's key.
LABELS = {
    "funding_source": {
        "Title I, Part A": "TitleIA", "Title II, Part A": "TitleIIA",
        "Title III, Part A": "TitleIIIA", "Title IV, Part A": "TitleIVA", "IDEA": "IDEA",
        "State grant": "StateGrant", "Local general fund": "LocalGeneral",
        "Private grant": "PrivateGrant", "Not stated": "Unspecified",
    },
    "category": {
        "Vendor contracts": "VendorContract", "Registration fees": "Registration",
        "Stipends": "Stipend", "Substitute cover": "Substitute", "Travel": "Travel",
        "Materials": "Materials", "Coaching time": "CoachTime",
        "Participants' paid time": "ParticipantTime",
    },
    "group": {
        "Teachers and other certificated staff": "Certificated", "Classified staff": "Classified",
        "Administrators": "Administrator", "New employees (onboarding)": "NewEmployeeOnboarding",
        "Parents and caregivers": "ParentCaregiver", "Community members": "CommunityMember",
        "Group not recorded": "Unspecified",
    },
    "band": {"Under 14 hours": "under_14", "14 to 49 hours": "14_to_49",
             "49 hours or more": "49_and_over"},
    "level": {"1. Participants' reactions": 1, "2. Participants' learning": 2,
              "3. Organisational support and change": 3,
              "4. Use of new knowledge and skills": 4, "5. Student learning outcomes": 5},
    "status": {"Reciprocated": model.RECIPROCATED, "Pending": model.PENDING,
               "Too little evidence": model.INSUFFICIENT, "Owed by staff": model.OWED_PERSON,
               "Owed by the district": model.OWED_DISTRICT},
    "quartile": {"Q1 (least need)": "Q1", "Q2": "Q2", "Q3": "Q3", "Q4 (greatest need)": "Q4",
                 "Site not recorded": "unknown"},
    "measure": {"Students in poverty": "students_in_poverty",
                "English learners": "english_learners", "Foster youth": "foster_youth",
                "Students with disabilities": "students_with_disabilities"},
    "side": {"Staff": "person", "The district": "district"},
    "what": {"An investment with no change seen after its window": "investment",
             "A goal set without matching support": "goal",
             "A low rating with no investment that year": "low rating"},
}

# The staff groups in the order docs/events.md lists them; a person with none last.
GROUP_ORDER = ["Certificated", "Classified", "Administrator", "NewEmployeeOnboarding",
               "ParentCaregiver", "CommunityMember", "Unspecified"]
# "reciprocity status: Enrolments of the year by status (reciprocated, pending, too little
# evidence, owed by staff, owed by the district)."
STATUS_ORDER = [model.RECIPROCATED, model.PENDING, model.INSUFFICIENT, model.OWED_PERSON,
                model.OWED_DISTRICT]
QUARTILE_ORDER = ["Q1", "Q2", "Q3", "Q4", "unknown"]
# obligations: "by side, kind and programme" (A-52: the district's side first, as metrics.md
# lists the kinds: goals, low ratings; then the person's)
OBLIGATION_ORDER = [("district", "goal"), ("district", "low rating"), ("person", "investment")]

# Each table: the column naming the row, its private columns (figures about people), the
# columns that are fractions (compared to 4 decimals) and hours (to 2).
PRIVATE = {
    "participation": ["participants", "reach", "hours", "hours_per_participant",
                      "attendance_rate", "completion_rate"],
    "hours": ["enrolments", "share"],
    "guskey": ["enrolments", "share"],
    "reciprocity": ["enrolments", "share"],
    "programmes": ["participants", "hours", "implementation_rate", "share_improving", "changed",
                   "cost_per_change_cents", "without_level4_cents"],
    "equity_poverty": ["participants", "reach", "share_improving"],
    "obligations": ["open", "past_due"],
}
PRIVATE["programmes_all"] = PRIVATE["programmes"]
# The comparison's tables repeat figures of the years' own tables, hidden as there, and add no
# figure: no column of theirs is private (A-63; the documents do not define the flag).
for _t in ("since_last_year", "programmes_both_years", "programmes_both_years_top",
           "equity_years", "decisions", "decisions_followed", "decisions_on_this_year"):
    PRIVATE[_t] = []
# a count of people inside a larger row and what could be derived from it
CHANGED = ["changed", "cost_per_change_cents", "without_level4_cents"]
HOURS_KEYS = {"hours", "hours_per_participant"}


class Row(dict):
    """A row's figures (the dict) and its privacy: `people` (the count the n<10 rule is applied
    to), `hidden` (the keys suppressed) and `order` (its place in the table)."""

    def __init__(self, figures, people=0, order=0, private_keys=()):
        super().__init__(figures)
        self.people, self.order = people, order
        self.private_keys = list(private_keys)
        self.hidden = set()
        # a count inside the row (people with changed practice, past due): its people and the
        # figures that go with it
        self.inner, self.inner_keys = None, ()
        if private(people):
            self.hide_all()

    def hide_all(self):
        self.hidden |= set(self.private_keys)

    def whole(self):
        return bool(self.private_keys) and set(self.private_keys) <= self.hidden

    def out(self):
        r = {k: (None if k in self.hidden else v) for k, v in self.items()}
        r["suppressed"] = sorted(self.hidden)
        return r


class Measures(tuple):
    """The keys a decision's review looked at; in words ("each by its label in the headline --
    the key itself when it is not a headline key -- joined by "; "") with `words(labels)`."""

    def words(self, labels):
        return "; ".join(labels.get(k, k) for k in self)


def complement(rows):
    """"When a table has a total ... and exactly one group was suppressed, the next smallest is
    suppressed too, so the first cannot be worked out by subtraction ("smallest" by the count
    the rule is applied to; on a tie, the first in the table's order ...)"."""
    rows = sorted(rows, key=lambda r: r.order)
    hidden = [r for r in rows if r.whole()]
    if len(hidden) != 1:
        return
    # a row of no one is not "the next smallest" (hiding it would hide nothing)
    rest = [r for r in rows if not r.whole() and r.people > 0]
    if rest:
        pick = max if model.mutated("next_smallest") else min
        pick(rest, key=lambda r: r.people).hide_all()


def complement_inner(rows):
    """"A count inside the rows of a table with a total (people with changed practice, past due)
    takes the same complement: when exactly one row's count concerns 1 to 9 people, the smallest
    of the counts that concern 10 or more (on a tie, the first in the table's order) is hidden
    too, with what is derived from it; it may be hidden already"."""
    rows = [r for r in rows if r.inner is not None]
    if sum(1 for r in rows if private(r.inner)) != 1:
        return
    big = [r for r in rows if r.inner >= MIN_PEOPLE]
    if big:
        pick = max if model.mutated("inner_smallest") else min
        r = pick(big, key=lambda r: (r.inner, -r.order if pick is max else r.order))
        r.hidden |= set(r.inner_keys)


def hours_each(hours, people, readings):
    """"Hours each = hours / people who took part"; "hours to two" decimal places (compared to
    0.005). The engine's one decimal before it was mended (`hours_each="tenth"`) for diagnosis."""
    if not people:
        return None
    if readings.get("hours_each") == "tenth":
        return model.div_round_half_up(model.Fraction(hours).limit_denominator(10 ** 6) * 10,
                                       people) / 10
    return hours / people


def summary(model_out, fy, date, entries, readings=None):
    """The report of fiscal year `fy` judged on `date` (None: the day the last entry was
    recorded), from the log's entries: its own year's figures (year_summary) and the comparison
    with the years before it and the decisions on the record (since_last_year)."""
    readings = readings or model.DOC
    # the report is judged on its own date: the views' figures again, unless that is the same day
    if model_out is None or model_out["as_of"] != model.reporting_date(entries, date)[0].isoformat():
        out = model.compute(entries, date, readings)
    else:
        out = model_out
    s = year_summary(out, fy, entries, readings)
    since_last_year(out, s, fy, entries, readings)
    return s


def year_summary(out, fy, entries, readings):
    """One fiscal year's report, without the comparison: the headline and the tables of
    metrics.md "Board report" (the figures an earlier year's own report gives)."""
    d, pps = out["_district"], out["_pps"]
    acc = out["accountability"]
    dy = [r for r in acc if r["row"] == "district_year" and r["fiscal_year"] == fy]
    dy = dy[0] if dy else None
    unalloc = [r for r in acc if r["row"] == "unallocated" and r["fiscal_year"] == fy]
    ens = model.enrolments(d, pps, fy)
    people = {e.person for e in ens}
    n = len(people)
    staff_all = d.registered_people()

    def title(prog):
        return d.program(prog).get("professional_development_title") or prog

    # ------------------------------------------------------------------ headline
    h, hidden_h = {}, set()
    # "spent on professional learning: The district row's spend plus the costs no one's hours
    # could carry (programmes with no attendance, and cents left over when a cost is shared out)."
    invested = (dy["spend_cents"] if dy else 0) + sum(r["cents"] for r in unalloc)
    h["invested_cents"] = invested
    hide = private(n)
    h["participants"] = n
    h["reach"] = dy["reach"] if dy else None
    h["hours"] = dy["hours"] if dy else 0.0
    h["level_4_share"] = dy["guskey_coverage"]["level_4"] if dy else None
    if hide:
        hidden_h |= {"participants", "reach", "hours", "level_4_share"}
    changed = dy["people_with_demonstrated_change"] if dy else 0
    # "a count of people inside a larger row ... is suppressed ... when it or the rest of the row
    # ... is 1 to 9 people, with what could be derived from it: cost per change"
    h["people_with_demonstrated_change"] = changed
    h["cost_per_demonstrated_change_cents"] = dy["cost_per_demonstrated_change_cents"] if dy else None
    if hide or private(changed) or private(n - changed):
        hidden_h |= {"people_with_demonstrated_change", "cost_per_demonstrated_change_cents"}
    # "open obligations: Obligations that arose in the year or before ... past due on the
    # report's date" (A-19, A-20)
    obl_all = [r for r in out["reciprocity"] if r["row"] == "obligation" and r["school_year"] <= fy]
    obl = [r for r in obl_all if r["overdue"]]
    # "Headline obligation counts (past due, on each side) are hidden when the count itself is 1
    # to 9." (A-46 before; diagnosis may take the people behind it)
    for key, side in (("owed_by_staff", "person"), ("owed_by_district", "district")):
        rs = [r for r in obl if r["side"] == side]
        n_rule = len(rs)
        if readings.get("obligation_count") == "people":
            n_rule = len({r["person"] for r in rs})
        h[key] = len(rs)
        if private(n_rule):
            hidden_h.add(key)
    # "as the two add up to the obligations table's total, when one is hidden the other is hidden
    # too, unless it is 0"
    owed = ("owed_by_staff", "owed_by_district")
    if sum(k in hidden_h for k in owed) == 1 and all(h[k] > 0 for k in owed):
        hidden_h |= set(owed)

    tables = {}

    def table(tid, rows, total=None, has_total=True):
        if has_total:
            complement(rows)
            complement_inner(rows)
        tables[tid] = {"rows": {r.key: r for r in rows}, "total": total}

    # ------------------------------------------------------------------ spend
    # "by funding source, by kind of cost: The same spend, grouped by the cost record's funding
    # source or category."
    by_src, by_cat = {}, {}
    lines = (dy["spend"] if dy else []) + unalloc
    for ln in lines:
        by_src[ln["funding_source"]] = by_src.get(ln["funding_source"], 0) + ln["cents"]
        by_cat[ln["category"]] = by_cat.get(ln["category"], 0) + ln["cents"]
    for tid, col, groups in (("investment_by_source", "funding_source", by_src),
                             ("investment_by_category", "category", by_cat)):
        rows = []
        # a row for each source (category) whose spend is not zero; its share of all spend
        for k, v in sorted(groups.items()):
            if v == 0:
                continue
            r = Row({"spend_cents": v, "share": model.share(v, invested)})
            r.key = k
            rows.append(r)
        total = Row({"spend_cents": invested, "share": model.share(invested, invested)})
        table(tid, rows, total, has_total=False)

    # ------------------------------------------------------------------ budget
    # "budget against recorded costs: Per fund: the accountability view's budget row."
    rows = []
    for r in acc:
        if r["row"] == "budget" and r["fiscal_year"] == fy:
            x = Row({k: r[k] for k in ("budget_cents", "actual_cents", "variance_cents",
                                       "spent_share")})
            x.key = r["fund"]  # "" = the row of costs naming no fund
            rows.append(x)
    table("budget", rows, None, has_total=False)

    # ------------------------------------------------------------------ participation
    # "took part, reach, hours, attendance, completion: The accountability figures of the
    # district, and of each staff group (staff counted at their latest assignment). Hours each =
    # hours / people who took part."
    def group_of(p):
        return d.group_of(p) or "Unspecified"

    def part_row(sel, staff, key, order):
        g = model.group_figures(d, sel, staff, 0, fy, pps)
        r = Row({"staff": g["staff"], "participants": g["participants"], "reach": g["reach"],
                 "hours": g["hours"],
                 "hours_per_participant": hours_each(g["hours"], g["participants"], readings),
                 "attendance_rate": g["attendance_rate"], "completion_rate": g["completion_rate"]},
                people=g["participants"], order=order, private_keys=PRIVATE["participation"])
        r.key = key
        return r
    # a row for each staff group holding staff or participants
    groups = sorted({group_of(p) for p in staff_all} | {group_of(e.person) for e in ens},
                    key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else 99, g))
    rows = [part_row([e for e in ens if group_of(e.person) == g],
                     [p for p in staff_all if group_of(p) == g], g, i)
            for i, g in enumerate(groups)]
    table("participation", rows, part_row(ens, staff_all, "total", 0))

    # ------------------------------------------------------------------ hours
    # "enrolments by hours: Participant-programmes under 14 hours, 14 to 49, 49 and over."
    # "Tables that count enrolments (hours, Guskey levels, reciprocity) apply the rule to the
    # distinct people in each group"
    lo = model.low_hours_minutes()
    bands = [("under_14", lambda x: x < lo), ("14_to_49", lambda x: lo <= x < 49 * 60),
             ("49_and_over", lambda x: x >= 49 * 60)]
    rows = []
    for i, (name, f) in enumerate(bands):
        sel = [e for e in ens if f(e.minutes)]
        r = Row({"enrolments": len(sel), "share": model.share(len(sel), len(ens))},
                people=len({e.person for e in sel}), order=i, private_keys=PRIVATE["hours"])
        r.key = name
        rows.append(r)
    total = Row({"enrolments": len(ens), "share": model.share(len(ens), len(ens))}, people=n,
                private_keys=PRIVATE["hours"])
    table("hours", rows, total)

    # ------------------------------------------------------------------ guskey
    # "evidence at each level: Enrolments with evidence at Guskey level 1-5 (guskey_enrolments),
    # and their share of all enrolments." No total: an enrolment may have several levels.
    rows = []
    for k in range(1, 6):
        sel = [e for e in ens if e.pp.level_evidence()[k]]
        r = Row({"enrolments": len(sel), "share": model.share(len(sel), len(ens))},
                people=len({e.person for e in sel}), order=k, private_keys=PRIVATE["guskey"])
        r.key = k
        rows.append(r)
    table("guskey", rows, None, has_total=False)

    # ------------------------------------------------------------------ reciprocity
    # "reciprocity status: Enrolments of the year by status (reciprocated, pending, too little
    # evidence, owed by staff, owed by the district)." A-50: the enrolments of the year are the
    # person-programmes the year's accountability rows hold: its participant-programmes, those
    # the rows hold for their participant time's value alone, and those with nothing in any
    # year, in the year of their due date ("so that what is owed is counted somewhere").
    held = [e.pp for e in model.enrolments(d, pps, fy, members=True)] + \
        list(model.uninvested_row_pairs(d, pps, fy))
    rows = []
    for i, st in enumerate(STATUS_ORDER):
        sel = [pp for pp in held if pp.status() == st]
        r = Row({"enrolments": len(sel)}, people=len({pp.person for pp in sel}), order=i,
                private_keys=PRIVATE["reciprocity"])
        r.key = st
        rows.append(r)
    sel = [pp for pp in held if pp.status() in STATUS_ORDER]
    for r in rows:
        r["share"] = model.share(r["enrolments"], len(sel))
    total = Row({"enrolments": len(sel), "share": model.share(len(sel), len(sel))},
                people=len({pp.person for pp in sel}), private_keys=PRIVATE["reciprocity"])
    table("reciprocity", rows, total)

    # ------------------------------------------------------------------ programmes
    # "by programme: The accountability figures of each programme across the district; the ten
    # with the most spending are shown and the rest summed in one row; programmes_all.csv lists
    # every one." Privacy: a row of 1-9 participants shows none of its figures about them; "a
    # count of people inside a larger row (people with changed practice among a programme's
    # participants) is suppressed ... when it or the rest of the row ... is 1 to 9 people, with
    # ... cost per change, and spending without level-4 evidence"; "Spending without level-4
    # evidence is also hidden in any row of fewer than 10 participants".
    # the programmes with a site_program row that year (0 participants included)
    progs = {r["program"]: [] for r in acc if r["row"] == "site_program" and r["fiscal_year"] == fy}
    for e in ens:
        progs.setdefault(e.prog, []).append(e)

    def prog_row(pes, key, order):
        g = model.group_figures(d, pes, [], 0, fy, pps)
        pn = g["participants"]
        ch = g["people_with_demonstrated_change"]
        # implementation and share improving are also kept as their parts, for the summed row
        after = [f for e in pes for f in e.pp.observations_after()]
        known = {}
        for e in pes:
            c = e.pp.targeted_change()
            if c is not None:
                known.setdefault(e.person, []).append(c[0])
        r = Row({"participants": pn, "spend_cents": g["spend_cents"], "hours": g["hours"],
                 "implementation_rate": g["implementation_rate"],
                 "share_improving": g["share_improving"], "changed": ch,
                 "cost_per_change_cents": g["cost_per_demonstrated_change_cents"],
                 "without_level4_cents": g["dollars_without_level4_evidence_cents"]},
                people=pn, order=order, private_keys=PRIVATE["programmes"])
        r.parts = {"after": len(after),
                   "seen": sum(1 for f in after if f.b("targeted_practice_observed") is True),
                   "known": len(known), "improving": sum(1 for v in known.values()
                                                         if any(x > 0 for x in v))}
        if private(ch) or private(pn - ch):
            r.hidden |= set(CHANGED)
        if pn < MIN_PEOPLE and pn > 0:
            r.hidden.add("without_level4_cents")
        r.inner, r.inner_keys = ch, CHANGED
        r.key = key
        return r
    # "programmes by spending, most first, then by programme id"
    ordered = sorted(progs, key=lambda p: (-sum(e.spend for e in progs[p]), p))
    rows_all = [prog_row(progs[p], title(p), i) for i, p in enumerate(ordered)]
    # programmes_all rows carry the programme's id (and its title, "programme"): rows are
    # matched by the id, the title compared as a word
    for p, r in zip(ordered, rows_all):
        r["programme"], r["program_id"], r.key = title(p), p, p
    # "Tables that count enrolments ... apply the rule to the distinct people"; the programmes
    # add up to the district's enrolments (published in the hours table)
    table("programmes_all", rows_all, None)
    # rows matched by the programme's id, which the engine's rows carry too (titles may repeat)
    if len(ordered) <= TOP_PROGRAMMES:
        rows = [prog_row(progs[p], p, i) for i, p in enumerate(ordered)]
    else:
        rows = [prog_row(progs[p], p, i) for i, p in enumerate(ordered[:TOP_PROGRAMMES])]
        rest = ordered[TOP_PROGRAMMES:]
        pes = [e for p in rest for e in progs[p]]
        if readings.get("other_row") == "people":
            # A-51: "the rest in one row, as one group: their spending and hours summed,
            # participants and people with changed practice counted as people (a person in two
            # of them counts once), practice seen after and share improving over all their
            # observations and participants": the figures of one group of all their enrolments
            r = prog_row(pes, OTHER, TOP_PROGRAMMES)
        else:
            # the earlier reading (model.ALT): each programme's row summed
            parts = [prog_row(progs[p], p, 0) for p in rest]
            s = {k: sum(x[k] for x in parts) for k in ("participants", "spend_cents", "hours",
                                                       "changed", "without_level4_cents")}
            sp = {k: sum(x.parts[k] for x in parts) for k in ("after", "seen", "known",
                                                              "improving")}
            r = Row({"participants": s["participants"], "spend_cents": s["spend_cents"],
                     "hours": s["hours"],
                     "implementation_rate": model.share(sp["seen"], sp["after"]),
                     "share_improving": model.share(sp["improving"], sp["known"]),
                     "changed": s["changed"],
                     "cost_per_change_cents": model.money_ratio(s["spend_cents"], s["changed"]),
                     "without_level4_cents": s["without_level4_cents"]},
                    people=len({e.person for e in pes}), order=TOP_PROGRAMMES,
                    private_keys=PRIVATE["programmes"])
            rp = r.people
            changed_people = {e.person for e in pes
                              if e.pp.level_evidence()[4] or e.pp.level_evidence()[5]}
            if private(len(changed_people)) or private(rp - len(changed_people)):
                r.hidden |= set(CHANGED)
            r.inner, r.inner_keys = len(changed_people), CHANGED
            if 0 < rp < MIN_PEOPLE:
                r.hidden.add("without_level4_cents")
        r.key = OTHER
        rows.append(r)
    table("programmes", rows, None)

    # ------------------------------------------------------------------ equity
    # "need quartiles: The equity view's rows for students in poverty, and spending per teacher
    # by quartile of each measure of need."
    eq = [r for r in out["equity"] if r["row"] == "need_quartile" and r["fiscal_year"] == fy]
    rows = []
    for r in eq:
        if r["attribute"] != "students_in_poverty":
            continue
        x = Row({k: r[k] for k in ("sites", "staff", "participants", "reach", "spend_cents",
                                   "spend_per_teacher_cents", "share_improving")},
                people=r["participants"], order=QUARTILE_ORDER.index(r["quartile"]),
                private_keys=PRIVATE["equity_poverty"])
        x.key = r["quartile"]
        rows.append(x)
    # "as the quartiles add up to the district's participants"
    table("equity_poverty", rows, None)
    rows = []
    for i, (attr, _) in enumerate(model.ATTRIBUTES):
        by_q = {r["quartile"]: r["spend_per_teacher_cents"] for r in eq if r["attribute"] == attr}
        x = Row({q: by_q.get(q) for q in ("Q1", "Q2", "Q3", "Q4")}, order=i)
        x.key = attr
        rows.append(x)
    table("equity_measures", rows, None, has_total=False)

    # ------------------------------------------------------------------ obligations
    # "open obligations: Obligations that arose in the year or before, by side, kind and
    # programme: open, and past due on the report's date." A-52: n<10 applied to the distinct
    # people behind the open count; past due is a count inside the row (hidden when its people,
    # or the rest's, are 1 to 9).
    def obl_row(rs, key, order):
        ppl = {r["person"] for r in rs}
        past = {r["person"] for r in rs if r["overdue"]}
        x = Row({"open": len(rs), "past_due": sum(1 for r in rs if r["overdue"])},
                people=len(ppl), order=order, private_keys=PRIVATE["obligations"])
        if readings.get("obligation_past_due") != "row" and (
                private(len(past)) or private(len(ppl - past))):
            x.hidden.add("past_due")
        if readings.get("obligation_past_due") != "row":
            x.inner, x.inner_keys = len(past), ["past_due"]
        x.key = key
        return x
    keys = sorted({(r["side"], r["kind"], r["program"]) for r in obl_all},
                  key=lambda k: (OBLIGATION_ORDER.index(k[:2]), k[2] != "", k[2]))
    # rows are named by the programme's title, which two programmes may share: the n-th row of a
    # side, kind and title in the table's order
    seen = {}
    names = []
    for k in keys:
        name = (k[0], k[1], title(k[2]) if k[2] else "")
        seen[name] = seen.get(name, 0) + 1
        names.append(name + (seen[name],))
    rows = [obl_row([r for r in obl_all if (r["side"], r["kind"], r["program"]) == k], name, i)
            for i, (k, name) in enumerate(zip(keys, names))]
    table("obligations", rows, obl_row(obl_all, "total", 0))

    # ------------------------------------------------------------------ privacy
    # "The report states the rule and how many rows it touched." A-53: the rows (totals
    # included) of every table with a figure suppressed.
    touched = sum(1 for t in tables.values()
                  for r in list(t["rows"].values()) + ([t["total"]] if t["total"] else [])
                  if r.hidden)
    return {"headline": h, "headline_hidden": hidden_h, "tables": tables,
            "rows_suppressed": touched, "fiscal_year": fy, "tree_size": len(entries),
            "as_of_date": out["as_of"], "minimum_people": MIN_PEOPLE}


# ------------------------------------------------------------------ since last year, decisions

# "The three headline figures of changed practice (level_4_share, people_with_demonstrated_change,
# cost_per_demonstrated_change_cents) rest on summative ratings as well as observations"
DEFINITION_KEYS = ("level_4_share", "people_with_demonstrated_change",
                   "cost_per_demonstrated_change_cents")
# "The years compared are the report's fiscal year and each of the four before it that has
# records"
YEARS_BEFORE = 4
# "For each year (_last and _this after the key): spend_cents, participants, changed (people with
# changed practice) and implementation_rate"
BOTH_YEARS = ("spend_cents", "participants", "changed", "implementation_rate")
# decisions_followed: "spend_cents_last, spend_cents_this, changed_last, changed_this,
# implementation_rate_last, implementation_rate_this"
FOLLOWED = ("spend_cents", "changed", "implementation_rate")
# "When it has more than ten rows, the report's pages show programmes_both_years_top, its first
# ten rows"
BOTH_YEARS_TOP = 10


# the whole log, when the report is of its first entries (the mutation earlier_size only)
WHOLE_LOG = {}


def record_years(out):
    """"a year for which `evident report board` would make a report (one in which some person
    had hours or costs for a programme, or an obligation with nothing invested fell due)": the
    years of the accountability view's rows (A-55)."""
    return set(model.row_years(out["_district"], out["_pps"]))


def evaluations(d):
    """"A year's evaluations are the distinct performance_evaluation_title values of the
    summative ratings (EvaluationRatingFinalized, corrections and voids applied) whose
    school_year is that year." {year: set of titles}"""
    ev = {}
    for f in d.of("EvaluationRatingFinalized"):
        ev.setdefault(f.s("school_year"), set()).add(f.b("performance_evaluation_title"))
    return ev


def definition_changed(ev, last, fy):
    """"When last year's and this year's are both recorded (neither is empty) and are not the
    same set, the three rows say "definition changed"."""
    a, b = ev.get(last, set()), ev.get(fy, set())
    if model.mutated("evaluations_empty"):
        return a != b
    return bool(a) and bool(b) and a != b


def standing_decisions(d, year):
    """"When more than one decision stands for the same programme and year, the one recorded
    last (the highest log position of the original events) is the decision" (a correction keeps
    its original's position; a correction's subject moves it to another programme or year).
    {program id: fact}"""
    best = {}
    for f in d.of("ProgramReviewed"):
        if f.s("fiscal_year") != year:
            continue
        pid = f.s("program_id")
        if pid not in best or (f.pos < best[pid].pos if model.mutated("decision_latest")
                               else f.pos > best[pid].pos):
            best[pid] = f
    return best


def redefined_after(d, entries, pids, pos):
    """Revise: "a ProgramDefined for the programme, or for this year's programme
    (program_id_this), was recorded after the decision (at a higher log position than the
    decision's original event); a correction of the old definition does not count" (a voided
    definition is not recorded: A-60). `pids`: the decision's programme and this year's."""
    if any(f.s("program_id") in pids and f.pos > pos for f in d.of("ProgramDefined")):
        return True
    if model.mutated("revise_correction"):
        # the mutation: a correction of the programme's definition recorded after it counts
        for f in d.of("ProgramDefined"):
            if f.s("program_id") not in pids:
                continue
            for i in range(pos + 1, len(entries)):
                ev = entries[i]["event"]
                if ev["event_type"] == "RecordCorrected" and \
                        ev["body"]["amends_event_id"] == entries[f.pos]["event"]["event_id"]:
                    return True
    return False


def money_words(cents):
    return f"${cents / 100:,.2f}"


def carried_out(decision, last, this, revised):
    """"What followed ... is judged on spending alone": Stop: this year's spending is $0;
    Reduce: below last year's; Expand: above last year's; Continue: above $0; Revise: a new
    ProgramDefined after the decision."""
    if decision == "Stop":
        if model.mutated("stop_rule"):
            return this == 0 or this < last
        return this == 0
    if decision == "Reduce":
        return this < last
    if decision == "Expand":
        return this > last
    if decision == "Continue":
        return this > 0
    if decision == "Revise":
        return revised
    return False


def took_place(row):
    """"a programme that spent or had people (spending not $0, or participants not 0; a hidden
    count is some people)"."""
    return row["spend_cents"] != 0 or "participants" in row.hidden or row["participants"] != 0


def same_programme(row, here, there):
    """"The same programme in two years is, among that year's rows of a programme that spent or
    had people ..., the row with the same programme id, else the one row with the same title ...;
    a title that names two programmes in either year matches nothing (a match by title holds both
    ways; a row with the programme's own id is always its match)" (A-64). `row`: a programmes_all
    row of the year `here`; returns its match among the rows of `there` (both {program id: row}),
    or None."""
    def one_way(r, a, b):
        b = {p: x for p, x in b.items() if took_place(x)}
        if r["program_id"] in b:
            return b[r["program_id"]]
        if model.mutated("title_match"):
            return None
        same = [x for x in b.values() if x["programme"] == r["programme"]]
        return same[0] if len(same) == 1 else None

    m = one_way(row, here, there)
    if m is None or m["program_id"] == row["program_id"]:
        return m
    if model.READ.get("title_unique") == "there":
        # the engine's reading until 01:37 (FINDINGS.md F-3): one way only
        return m
    # a match by title holds both ways
    return m if one_way(m, there, here) is row else None


# The log's bytes for "the report a decision read" (diff.py fills it from `evident export`):
# {"origin": the log's origin, "leaves": [entry bytes, in log order]}
LOG_BYTES = {}


def merkle_root(leaves):
    """RFC 9162 section 2.1 (docs/format.md "Merkle tree"): MTH of the entries' bytes."""
    import hashlib

    def mth(xs):
        if not xs:
            return hashlib.sha256(b"").digest()
        if len(xs) == 1:
            return hashlib.sha256(b"\x00" + xs[0]).digest()
        k = 1
        while k * 2 < len(xs):
            k *= 2
        return hashlib.sha256(b"\x01" + mth(xs[:k]) + mth(xs[k:])).digest()
    return mth(leaves)


def based_on_this_log(f, tree_size):
    """"based_on_this_log is true when the decision's report_origin is this log's origin, its
    report_tree_size is at most the report's tree size, and its report_root_hash is the RFC 9162
    root of this log's first report_tree_size entries; false when the origin or the root differs;
    null when the size is past the report's" (A-71: another origin is false whatever the size).
    None too when the model has no bytes of the log (a run without the engine)."""
    if not LOG_BYTES:
        return None
    if f.b("report_origin") != LOG_BYTES["origin"]:
        return False
    k = f.b("report_tree_size")
    if k > tree_size:
        return None
    # the mutation: the root of one entry fewer
    n = k - 1 if model.mutated("based_on_root") else k
    return merkle_root(LOG_BYTES["leaves"][:n]).hex() == f.b("report_root_hash")


def since_last_year(out, s, fy, entries, readings):
    """metrics.md "Since last year" and "Decisions on the record": the tables since_last_year,
    programmes_both_years, equity_years, decisions, decisions_on_this_year, added to the report
    `s` of year `fy`. "Every earlier year's figure is that year's own ... the figure of the board
    report for that year computed at the same tree size and on the same reporting date": each
    earlier year's report is computed by year_summary from the same log and date."""
    d = out["_district"]
    have = record_years(out)
    last = fy - 1
    years = [y for y in range(fy - YEARS_BEFORE - model.mutated("years_four"), fy)
             if y in have] + [fy]
    src = out
    if model.mutated("earlier_size") and WHOLE_LOG.get("entries") and \
            len(WHOLE_LOG["entries"]) != len(entries):
        # the mutation: the earlier years' reports of the whole log, not of the report's size
        src = model.compute(WHOLE_LOG["entries"], out["as_of"], readings)
    reps = {y: (s if y == fy else year_summary(src, y, entries, readings)) for y in years}
    has_last = last in have
    ev = evaluations(d)
    changed_def = definition_changed(ev, last, fy)
    tables = s["tables"]

    def title(pid):
        return d.program(pid).get("professional_development_title") or pid

    # ---- since_last_year: one row per headline figure, in the headline's order
    rows = []
    for i, k in enumerate(s["headline"]):
        fig, hidden = {"key": k}, set()
        for y in years:
            fig[f"fy{y}"] = reps[y]["headline"][k]
            if k in reps[y]["headline_hidden"]:
                hidden.add(f"fy{y}")
        # compared: "yes", "no earlier year" (last year has no records), or "definition
        # changed" (A-56: no earlier year first)
        if not has_last:
            compared = "no earlier year"
        elif k in DEFINITION_KEYS and changed_def:
            compared = "definition changed"
        else:
            compared = "yes"
        change = None
        if compared == "yes":
            a, b = reps[last]["headline"][k], s["headline"][k]
            if k in reps[last]["headline_hidden"] or k in s["headline_hidden"]:
                # "null otherwise (listed under suppressed when a value behind it is hidden)"
                hidden.add("change")
            elif a is not None and b is not None:
                # "A change of a share is in the share's own units (0.05 is five points)."
                change = b - a
        fig["change"], fig["compared"] = change, compared
        r = Row(fig, order=i)
        r.hidden, r.key = hidden, k
        rows.append(r)
    tables["since_last_year"] = {"rows": {r.key: r for r in rows}, "total": None,
                                 "order": [r.key for r in rows],
                                 "evaluations": (sorted(ev.get(last, ())), sorted(ev.get(fy, ())))}

    # ---- programmes_both_years: the programmes with a programmes_all row in both years
    pa_this = tables["programmes_all"]["rows"]
    pa_last = reps[last]["tables"]["programmes_all"]["rows"] if has_last else {}
    rows = []
    # "In programmes_both_years a pair is shown when each row is the other's match; its rows
    # carry program_id (this year's) and program_id_last."
    for pid in sorted(pa_this, key=lambda p: pa_this[p].order):
        this = pa_this[pid]
        prev = same_programme(this, pa_this, pa_last)
        if prev is None or same_programme(prev, pa_last, pa_this) is not this:
            continue
        fig, hidden = {"programme": this["programme"], "program_id": pid,
                       "program_id_last": prev["program_id"]}, set()
        for k in BOTH_YEARS:
            for suffix, src in (("last", prev), ("this", this)):
                fig[f"{k}_{suffix}"] = src[k]
                if k in src.hidden:
                    hidden.add(f"{k}_{suffix}")
        r = Row(fig, order=len(rows))
        r.hidden, r.key = hidden, pid
        rows.append(r)
    tables["programmes_both_years"] = {"rows": {r.key: r for r in rows}, "total": None,
                                       "order": [r.key for r in rows]}
    if len(rows) > BOTH_YEARS_TOP:
        top = rows[:BOTH_YEARS_TOP]
        tables["programmes_both_years_top"] = {"rows": {r.key: r for r in top}, "total": None,
                                               "order": [r.key for r in top]}

    # ---- equity_years: spend per teacher by quartile of students in poverty, each year
    eq = {y: reps[y]["tables"]["equity_poverty"]["rows"] for y in years}
    qs = sorted({q for y in years for q in eq[y] if q != "unknown"}, key=QUARTILE_ORDER.index)
    rows = []
    for i, q in enumerate(qs):
        r = Row({f"fy{y}": (eq[y][q]["spend_per_teacher_cents"] if q in eq[y] else None)
                 for y in years}, order=i)
        r.key = q
        rows.append(r)
    tables["equity_years"] = {"rows": {r.key: r for r in rows}, "total": None,
                              "order": [r.key for r in rows]}

    # ---- decisions about last year, and about this year
    def decision_fig(pid, f):
        # measures: "each by its label in the headline -- the key itself when it is not a
        # headline key -- joined by "; "": kept as the keys (Measures), put in words by the
        # engine's own headline labels when compared
        return {"programme": title(pid), "program_id": pid, "decision": f.b("decision"),
                "decided": f.b("decided_date"),
                "measures": Measures(f.b("measures_reviewed") or []),
                "based_on_size": f.b("report_tree_size"), "rationale": f.b("rationale")}

    rows, followed = [], []
    for i, (pid, f) in enumerate(sorted(standing_decisions(d, last).items())):
        fig = decision_fig(pid, f)
        # "The report a decision read is checked against the log"
        fig["based_on_this_log"] = based_on_this_log(f, len(entries))
        fig["based_on"] = None  # words, not compared
        r = Row(fig, order=i)
        r.key = pid
        rows.append(r)
        # decisions_followed: "program_id_this (this year's programme: the one with the
        # decision's programme id, else the one row of this year's programmes_all with the same
        # title as last year's row; null when none)"; "The same programme in two years is, among
        # that year's rows of a programme that spent or had people, ..." (A-65)
        prev = pa_last.get(pid)
        this = pa_this.get(pid)
        if this is not None and not took_place(this):
            this = None
        if prev is not None and model.READ.get("program_id_this") == "both_ways":
            # the engine's reading in the build of 01:37 (FINDINGS F-5): this year's row only
            # when it and last year's row are each other's match, so a decision's programme of
            # $0 and no one last year has no programme this year, even with its own id
            this = same_programme(prev, pa_last, pa_this)
            if this is not None and same_programme(this, pa_this, pa_last) is not prev:
                this = None
        elif this is None and prev is not None:
            this = same_programme(prev, pa_last, pa_this)
        fig, hidden = {"programme": title(pid), "program_id": pid, "decision": f.b("decision"),
                       "program_id_this": this["program_id"] if this is not None else None}, set()
        for k in FOLLOWED:
            for suffix, src in (("last", prev), ("this", this)):
                # "spending 0 and the others null, not suppressed, when there is no row"
                if src is None:
                    fig[f"{k}_{suffix}"] = 0 if k == "spend_cents" else None
                    continue
                fig[f"{k}_{suffix}"] = src[k]
                if k in src.hidden:
                    hidden.add(f"{k}_{suffix}")
        a, b = fig["spend_cents_last"], fig["spend_cents_this"]
        pids = {pid} | ({fig["program_id_this"]} if fig["program_id_this"] else set())
        done = carried_out(f.b("decision"), a, b, redefined_after(d, entries, pids, f.pos))
        fig["carried_out"] = done
        fig["followed"] = "Carried out" if done else (
            f"Not carried out: {money_words(b)} spent in {fy - 1}–{fy % 100:02d}"
            if f.b("decision") == "Stop" else "Not carried out")
        x = Row(fig, order=i)
        x.hidden, x.key = hidden, pid
        followed.append(x)
    tables["decisions"] = {"rows": {r.key: r for r in rows}, "total": None,
                           "order": [r.key for r in rows]}
    tables["decisions_followed"] = {"rows": {r.key: r for r in followed}, "total": None,
                                    "order": [r.key for r in followed]}
    rows = []
    for i, (pid, f) in enumerate(sorted(standing_decisions(d, fy).items())):
        r = Row(decision_fig(pid, f), order=i)
        r.key = pid
        rows.append(r)
    tables["decisions_on_this_year"] = {"rows": {r.key: r for r in rows}, "total": None,
                                        "order": [r.key for r in rows]}

    # "a row, total rows included, counts when any of its figures is suppressed" (A-59: the new
    # tables' rows too)
    if readings.get("touched_comparison", "all") == "all":
        s["rows_suppressed"] = sum(
            1 for t in tables.values()
            for r in list(t["rows"].values()) + ([t["total"]] if t["total"] else []) if r.hidden)
    s["years_compared"] = years
    s["years_with_records"] = sorted(have)


# ------------------------------------------------------------------ comparing

FRACTION_TOL = 0.5e-4 + 1e-9
HOURS_TOL = 0.005 + 1e-9


def engine_key(tid, r):
    """The model's key for one of the engine's rows (its label mapped to the doc's name)."""
    def lab(col, v):
        return LABELS[col].get(v, v)
    if tid in ("investment_by_source",):
        return lab("funding_source", r["funding_source"])
    if tid == "investment_by_category":
        return lab("category", r["category"])
    if tid == "budget":
        return r["fund"] if r.get("budget_cents") is not None else ""
    if tid == "participation":
        return lab("group", r["group"])
    if tid == "hours":
        return lab("band", r["band"])
    if tid == "guskey":
        return lab("level", r["level"])
    if tid == "reciprocity":
        return lab("status", r["status"])
    if tid in ("programmes_all", "programmes_both_years", "programmes_both_years_top",
               "decisions", "decisions_followed", "decisions_on_this_year"):
        return r.get("program_id", "<no program_id>")
    if tid == "since_last_year":
        return r.get("key")
    if tid == "equity_years":
        return lab("quartile", r.get("quartile", r.get("label")))
    if tid == "programmes":
        if r.get("program_id"):
            return r["program_id"]
        p = r["programme"]
        # "the rest summed in one row" ("The other N programmes")
        return OTHER if re.fullmatch(r"(the )?other \d+ programmes?", p.lower()) else p
    if tid == "equity_poverty":
        return lab("quartile", r["quartile"])
    if tid == "equity_measures":
        return lab("measure", r["measure"])
    if tid == "obligations":
        return (lab("side", r["side"]), lab("what", r["what"]),
                "" if r["programme"] == "Any" else r["programme"])  # numbered in compare()
    return str(r)


def same(k, a, b, tol=None):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        if tol is None:
            tol = HOURS_TOL if k in HOURS_KEYS else FRACTION_TOL
        return abs(a - b) <= tol
    return a == b


# Words the documents do not fix, not compared: "followed" (compared as carried_out)
UNCOMPARED = {"followed", "based_on"}
# Fields that are not figures: left out of the check of a table's columns (a row's label, the
# programme's id, which rows carry "besides their columns", and the decisions' words)
TEXT_FIELDS = {"programme", "program_id", "program_id_last", "program_id_this", "key",
               "compared", "decision", "decided", "measures", "rationale", "followed", "quartile",
               "label", "carried_out", "based_on", "based_on_this_log", "based_on_size"}
# the tables of "Since last year" and "Decisions on the record": their rows' order is compared
ORDERED = ("since_last_year", "programmes_both_years", "programmes_both_years_top",
           "equity_years", "decisions", "decisions_followed", "decisions_on_this_year")


def tolerance(tid, rowkey, k):
    """since_last_year: a year's column as the headline's figure (hours to 0.05, fractions to 4
    decimals); a change is a difference of two such figures, so twice that."""
    if tid != "since_last_year":
        return None
    one = 0.05 + 1e-9 if rowkey == "hours" else FRACTION_TOL
    return 2 * one if k == "change" else one


def compare_row(path, er, mr, diffs, tid=None, labels=None):
    for k, b in mr.out().items():
        a = er.get(k, "<absent>")
        if k in UNCOMPARED:
            continue
        if isinstance(b, Measures):
            b = b.words(labels or {})
        if k == "suppressed":
            if sorted(a or []) != b:
                diffs.append((path + ".suppressed", sorted(a or []), b))
        elif not same(k, a, b, tolerance(tid, getattr(mr, "key", None), k)):
            diffs.append((f"{path}.{k}", a, b))


def compare(e, m):
    """Differences between the engine's summary.json and the model's, as (path, engine, model)."""
    diffs = []
    if m is None:
        return diffs
    head = {x["key"]: x for x in e.get("headline", [])}
    for k, v in m["headline"].items():
        ex = head.get(k)
        if ex is None:
            diffs.append((f"headline[{k}]", "<absent>", v))
            continue
        hid = k in m["headline_hidden"]
        if bool(ex.get("suppressed")) != hid:
            diffs.append((f"headline[{k}].suppressed", ex.get("suppressed"), hid))
        v = None if hid else v
        ev = ex.get("value")
        if isinstance(v, float) and isinstance(ev, (int, float)):
            if abs(ev - v) > FRACTION_TOL and not (k == "hours" and abs(ev - v) <= 0.05 + 1e-9):
                diffs.append((f"headline[{k}].value", ev, v))
        elif ev != v:
            diffs.append((f"headline[{k}].value", ev, v))
    for path, a, b in (("privacy.rows_suppressed", (e.get("privacy") or {}).get("rows_suppressed"),
                        m["rows_suppressed"]),
                       ("privacy.minimum_people", (e.get("privacy") or {}).get("minimum_people"),
                        m["minimum_people"]),
                       ("fiscal_year", e.get("fiscal_year"), m["fiscal_year"]),
                       ("as_of_date", e.get("as_of_date"), m["as_of_date"]),
                       ("log.tree_size", (e.get("log") or {}).get("tree_size"), m["tree_size"])):
        if a != b:
            diffs.append((path, a, b))
    tables = {t["id"]: t for t in e.get("tables", [])}
    # the headline's labels, in the engine's words (a decision's measures are named by them)
    labels = {x["key"]: x.get("label") for x in e.get("headline", [])}
    for tid in sorted(set(tables) - set(m["tables"])):
        diffs.append((f"tables[{tid}]", "present", "absent"))
    for tid, mt in m["tables"].items():
        t = tables.get(tid)
        if t is None:
            # a table of no rows may be left out
            if mt["rows"] or mt["total"] is not None:
                diffs.append((f"tables[{tid}]", "<absent>", "present"))
            continue
        # the columns: the label (words) and the figures the model has, the private ones those
        # about people (PRIVATE)
        cols = [c for c in t.get("columns", []) if c.get("kind") != "text"]
        mkeys = set(next(iter(mt["rows"].values()), None) or mt["total"] or {}) - TEXT_FIELDS
        ekeys = {c["key"] for c in cols} - TEXT_FIELDS
        if mkeys and ekeys != mkeys:
            diffs.append((f"tables[{tid}].columns", sorted(ekeys), sorted(mkeys)))
        priv = sorted(c["key"] for c in cols if c.get("private"))
        if priv != sorted(PRIVATE.get(tid, [])):
            diffs.append((f"tables[{tid}].columns.private", priv, sorted(PRIVATE.get(tid, []))))
        erows = {}
        for r in t["rows"]:
            k = engine_key(tid, r)
            if tid == "obligations":
                k = k + (sum(1 for x in erows if x[:3] == k) + 1,)
            erows.setdefault(k, []).append(r)
        for key in sorted(set(erows) | set(mt["rows"]), key=str):
            er, mr = erows.get(key), mt["rows"].get(key)
            path = f"tables[{tid}].rows[{key}]"
            if er is None or mr is None:
                diffs.append((path, "absent" if er is None else "present",
                              "absent" if mr is None else "present"))
                continue
            if len(er) > 1:
                diffs.append((path + ".(count)", len(er), 1))
            compare_row(path, er[0], mr, diffs, tid, labels)
        if tid == "since_last_year" and any(r["compared"] == "definition changed"
                                            for r in mt["rows"].values()):
            # "the table's note names both years' evaluations"
            notes = " ".join(t.get("notes") or [])
            missing = [x for x in sorted(set(mt["evaluations"][0]) | set(mt["evaluations"][1]))
                       if x not in notes]
            if missing:
                diffs.append((f"tables[{tid}].notes (evaluations named)", notes, missing))
        if tid in ORDERED:
            eorder = [engine_key(tid, r) for r in t["rows"]]
            morder = mt["order"]
            if tid == "since_last_year":
                # "in the headline's order": the engine's own headline
                morder = [x["key"] for x in e.get("headline", [])]
            if set(eorder) == set(morder) and eorder != morder:
                diffs.append((f"tables[{tid}].(order)", eorder, morder))
        et, mtot = t.get("total"), mt["total"]
        if (et is None) != (mtot is None):
            diffs.append((f"tables[{tid}].total", "absent" if et is None else "present",
                          "absent" if mtot is None else "present"))
        elif mtot is not None:
            compare_row(f"tables[{tid}].total", et, mtot, diffs)
    return diffs
