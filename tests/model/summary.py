"""The board report's summary.json figures (docs/metrics.md "Board report"), for a subset:

  headline   every figure (invested_cents, participants, reach, hours, level_4_share,
             people_with_demonstrated_change, cost_per_demonstrated_change_cents,
             owed_by_staff, owed_by_district), with the n<10 rule
  investment_by_source / investment_by_category   the spend amounts and the total (labels are
             words: compared as the sorted list of amounts)
  budget     every fund's row
  hours      the three bands and the total, with the n<10 rule and its complement

Not modelled: participation by staff group, guskey, reciprocity, programmes, equity tables,
obligations table (see README.md).

The report is judged on its own date (--date, else the day the last entry was recorded), so the
model's views are computed again on that date.
"""
import model

MIN_PEOPLE = 10


def private(n):
    """"A row describing 1 to 9 people shows none of its figures about them"."""
    return 1 <= n < MIN_PEOPLE


def summary(model_out, fy, date, entries, readings=None):
    # the report is judged on its own date: the views' figures again, unless that is the same day
    if model_out is None or model_out["as_of"] != model.reporting_date(entries, date)[0].isoformat():
        out = model.compute(entries, date, readings)
    else:
        out = model_out
    d, pps = out["_district"], out["_pps"]
    dy = [r for r in out["accountability"] if r["row"] == "district_year" and r["fiscal_year"] == fy]
    dy = dy[0] if dy else None
    unalloc = sum(r["cents"] for r in out["accountability"]
                  if r["row"] == "unallocated" and r["fiscal_year"] == fy)
    ens = model.enrolments(d, pps, fy)
    people = {e.person for e in ens}
    n = len(people)
    h = {}
    # "spent on professional learning: The district row's spend plus the costs no one's hours
    # could carry (programmes with no attendance, and cents left over when a cost is shared out)."
    h["invested_cents"] = (dy["spend_cents"] if dy else 0) + unalloc
    hide = private(n)
    h["participants"] = None if hide else n
    h["reach"] = None if hide else (dy["reach"] if dy else None)
    h["hours"] = None if hide else (dy["hours"] if dy else 0.0)
    h["level_4_share"] = None if hide else (dy["guskey_coverage"]["level_4"] if dy else None)
    changed = dy["people_with_demonstrated_change"] if dy else 0
    # "a count of people inside a larger row ... is suppressed ... when it or the rest of the row
    # ... is 1 to 9 people, with what could be derived from it: cost per change"
    hide_c = hide or private(changed) or private(n - changed)
    h["people_with_demonstrated_change"] = None if hide_c else changed
    h["cost_per_demonstrated_change_cents"] = None if hide_c else (
        dy["cost_per_demonstrated_change_cents"] if dy else None)
    # "open obligations: Obligations that arose in the year or before ... past due on the
    # report's date" (A-19, A-20)
    obl = [r for r in out["reciprocity"] if r["row"] == "obligation" and r["school_year"] <= fy
           and r["overdue"]]
    # a count of obligations is about the people who owe or are owed: n<10 applies to the
    # distinct people behind it
    for key, side in (("owed_by_staff", "person"), ("owed_by_district", "district")):
        rs = [r for r in obl if r["side"] == side]
        n_people = len({r["person"] for r in rs})
        if (readings or model.DOC).get("obligation_count") == "count":
            n_people = len(rs)  # engine reading (diagnosis only): the rule on the count itself
        h[key] = None if private(n_people) else len(rs)

    # spend by source and by category: "The same spend, grouped by the cost record's funding
    # source or category."
    by_src, by_cat = {}, {}
    if dy:
        for ln in dy["spend"]:
            by_src[ln["funding_source"]] = by_src.get(ln["funding_source"], 0) + ln["cents"]
            by_cat[ln["category"]] = by_cat.get(ln["category"], 0) + ln["cents"]
    for r in out["accountability"]:
        if r["row"] == "unallocated" and r["fiscal_year"] == fy:
            by_src[r["funding_source"]] = by_src.get(r["funding_source"], 0) + r["cents"]
            by_cat[r["category"]] = by_cat.get(r["category"], 0) + r["cents"]
    budget = {r["fund"]: r for r in out["accountability"]
              if r["row"] == "budget" and r["fiscal_year"] == fy}

    # hours bands: "Tables that count enrolments (hours, Guskey levels, reciprocity) apply the
    # rule to the distinct people in each group"; "exactly one group was suppressed, the next
    # smallest is suppressed too".
    lo = model.low_hours_minutes()
    bands = [("Under 14", lambda x: x < lo), ("14 to 49", lambda x: lo <= x < 49 * 60),
             ("49 and over", lambda x: x >= 49 * 60)]
    rows = []
    for name, f in bands:
        sel = [e for e in ens if f(e.minutes)]
        rows.append({"enrolments": len(sel), "people": len({e.person for e in sel}),
                     "hidden": private(len({e.person for e in sel}))})
    if sum(r["hidden"] for r in rows) == 1:
        rest = [r for r in rows if not r["hidden"] and r["enrolments"] > 0]
        if rest:
            # "the next smallest": by the count the rule is applied to, distinct people
            min(rest, key=lambda r: r["people"])["hidden"] = True
    # by programme: "The accountability figures of each programme across the district";
    # programmes_all lists every one. Privacy: a row of 1-9 participants shows none of its
    # figures about them; "a count of people inside a larger row (people with changed practice
    # among a programme's participants) is suppressed ... when it or the rest of the row ... is 1
    # to 9 people, with ... cost per change, and spending without level-4 evidence"; "Spending
    # without level-4 evidence is also hidden in any row of fewer than 10 participants".
    # the programmes with a site_program row that year (0 participants included)
    progs = {r["program"]: [] for r in out["accountability"]
             if r["row"] == "site_program" and r["fiscal_year"] == fy}
    for e in ens:
        progs.setdefault(e.prog, []).append(e)
    prog_rows = {}
    for prog, pes in progs.items():
        pn = len({e.person for e in pes})
        spend = sum(e.spend for e in pes)
        changed_p = {e.person for e in pes if e.pp.level_evidence()[4] or e.pp.level_evidence()[5]}
        ch = len(changed_p)
        hide_n = private(pn)
        hide_ch = hide_n or private(ch) or private(pn - ch)
        label = d.program(prog).get("professional_development_title") or prog
        prog_rows[label] = {
            "participants": None if hide_n else pn,
            "spend_cents": spend,
            "changed": None if hide_ch else ch,
            "cost_per_change_cents": None if hide_ch else model.money_ratio(spend, ch),
            "without_level4_cents": None if hide_ch or private(pn) else
            sum(e.spend for e in pes if e.pp.highest_level() < 4),
            "_n": pn,
            # the table lists programmes by spending, most first, then by id (metrics.md)
            "_order": (-spend, prog),
        }
    # "exactly one group was suppressed, the next smallest is suppressed too"
    hidden = [r for r in prog_rows.values() if r["participants"] is None and r["_n"] > 0]
    if len(hidden) == 1:
        rest = [r for r in prog_rows.values() if r["participants"] is not None and r["_n"] > 0]
        if rest:
            # "the next smallest"; on a tie, the first in the table's order
            r = min(rest, key=lambda r: (r["_n"], r["_order"]))
            for k in ("participants", "changed", "cost_per_change_cents", "without_level4_cents"):
                r[k] = None
    for r in prog_rows.values():
        del r["_n"], r["_order"]
    return {"programmes": prog_rows, "headline": h, "by_source": sorted(v for v in by_src.values() if v != 0),
            "by_category": sorted(v for v in by_cat.values() if v != 0),
            "invested_total": h["invested_cents"], "budget": budget,
            "hours": [None if r["hidden"] else r["enrolments"] for r in rows],
            "hours_total": None if private(n) else len(ens)}


def compare(e, m):
    """Differences between the engine's summary.json and the model's, as (path, engine, model)."""
    diffs = []
    if m is None:
        return diffs
    head = {x["key"]: x["value"] for x in e.get("headline", [])}
    for k, v in m["headline"].items():
        ev = head.get(k, "<absent>")
        if isinstance(v, float) and isinstance(ev, (int, float)):
            if abs(ev - v) > 0.5e-4 + 1e-9 and not (k == "hours" and abs(ev - v) <= 0.05 + 1e-9):
                diffs.append((f"headline[{k}]", ev, v))
        elif ev != v:
            diffs.append((f"headline[{k}]", ev, v))
    tables = {t["id"]: t for t in e.get("tables", [])}
    for tid, key in (("investment_by_source", "by_source"), ("investment_by_category", "by_category")):
        t = tables.get(tid)
        if t is None:
            diffs.append((f"tables[{tid}]", "<absent>", m[key]))
            continue
        vals = sorted(r["spend_cents"] for r in t["rows"] if r["spend_cents"])
        if vals != m[key]:
            diffs.append((f"tables[{tid}].rows.spend_cents", vals, m[key]))
        tot = (t.get("total") or {}).get("spend_cents")
        if tot is not None and tot != m["invested_total"]:
            diffs.append((f"tables[{tid}].total.spend_cents", tot, m["invested_total"]))
    t = tables.get("budget")
    if t is not None:
        # the row of costs naming no fund is labelled in words ("No fund recorded"): the model's ""
        erows = {(r["fund"] if r.get("budget_cents") is not None or r["fund"] in m["budget"]
                  else ""): r for r in t["rows"]}
        for fund in sorted(set(erows) | set(m["budget"])):
            er, mr = erows.get(fund), m["budget"].get(fund)
            if er is None or mr is None:
                diffs.append((f"tables[budget].rows[{fund}]", "absent" if er is None else "present",
                              "absent" if mr is None else "present"))
                continue
            for k in ("budget_cents", "actual_cents", "variance_cents", "spent_share"):
                a, b = er.get(k), mr.get(k)
                if isinstance(a, float) and isinstance(b, float):
                    if abs(a - b) > 0.5e-4 + 1e-9:
                        diffs.append((f"tables[budget].rows[{fund}].{k}", a, b))
                elif a != b:
                    diffs.append((f"tables[budget].rows[{fund}].{k}", a, b))
    t = tables.get("programmes_all")
    if t is not None and "programmes" in m:
        erows = {r["programme"]: r for r in t["rows"]}
        for label in sorted(set(erows) | set(m["programmes"])):
            er, mr = erows.get(label), m["programmes"].get(label)
            if er is None or mr is None:
                diffs.append((f"tables[programmes_all].rows[{label}]",
                              "absent" if er is None else "present",
                              "absent" if mr is None else "present"))
                continue
            for k, b in mr.items():
                a = er.get(k, "<absent>")
                if a != b:
                    diffs.append((f"tables[programmes_all].rows[{label}].{k}", a, b))
    t = tables.get("hours")
    if t is not None:
        ev = [r.get("enrolments") for r in t["rows"]]
        if ev != m["hours"]:
            diffs.append(("tables[hours].rows.enrolments", ev, m["hours"]))
        tot = (t.get("total") or {}).get("enrolments")
        if tot != m["hours_total"]:
            diffs.append(("tables[hours].total.enrolments", tot, m["hours_total"]))
    return diffs
