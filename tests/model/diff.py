#!/usr/bin/env python3
"""Differential test: random districts through the engine and through the model.

  python3 tests/model/diff.py --engine PATH --seeds N [--start S] [--jobs J]
        [--keep-going] [--no-shrink] [--no-report] [--diagnose] [--mutate RULE]
        [--shrink-kind KIND] [--json FILE] [--work DIR]

For each seed: gen.generate(seed) makes a district; the engine appends it to a
fresh ledger (a copy of one `evident init` made once per run), `evident log`
prints it back, `evident query VIEW` gives each view (with --as-of-date when the
district has a reporting date), and `evident report board` its summary.json.
The model (model.py) computes every figure from the log alone, once per
district (twice when the report is judged on another day); every row of every
view is compared by its key and every field (rows missing on either side are
differences too). Money and counts exactly, fractions to the engine's printed
precision (4 decimals: |engine - model| <= 0.00005).

Exit status: 0 when no district differs, 1 when one does (the first such seed's
district is shrunk -- halves, then single events, keeping every amendment's
target -- while a difference of the same kind persists, and printed as JSON
Lines with the differing figures), 2 on a usage error or when the engine fails.
Without --keep-going the run stops at the first seed that differs.

--jobs J      J districts at once (each in its own scratch ledger).
--diagnose    also run the model under its old readings (model.ALT) and the engine's
              reported behaviour (model.KNOWN), and tag each kind of difference by
              what explains it.
--mutate RULE perturb one rule of the model (model.MUTATIONS) by a cent or a day;
              a seed then fails when the mutated model differs from the engine
              where the model itself did not. Shows that the test can fail.
--plain-words the decisions' rationales and measures in short ASCII (a workaround
              for a build whose PDF could not draw others).
Each district may be appended in pieces (decisions citing this log's checkpoint
are filled in with it; a report at an earlier --size); `evident export` gives
the entries' bytes (the model hashes them for the decisions' citations), and a
report of FY2019 (no records) lists the years with records.
Scratch ledgers live in a temporary directory removed at the end (or --work DIR,
kept).
"""
import argparse
import base64
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
import model  # noqa: E402
import summary as summary_model  # noqa: E402

VIEWS = ["reciprocity", "accountability", "equity", "compliance"]
NO_RECORDS_FY = 2019  # a fiscal year the generator writes nothing in
TOL = 0.5e-4 + 1e-9

# Fields only one side carries that are words, not figures.
IGNORE = {
    "finding", "note", "root_hash", "checkpoint_signature_verified", "checkpoint_problem",
    "full_verification", "detail",
}


class EngineError(Exception):
    pass


class Engine:
    def __init__(self, path, work, template):
        self.path = path
        self.work = work
        self.template = template
        self.seconds = 0.0
        self.runs = 0

    @staticmethod
    def make_template(path, work):
        template = os.path.join(work, "template")
        if not os.path.isdir(template):
            os.makedirs(work, exist_ok=True)
            Engine(path, work, template).run(
                ["init", "--ledger", template, "--district", "lea-0000001"])
        return template

    def checkpoint(self, ledger):
        """The newest checkpoint: (origin, tree size, root hash in hex)."""
        lines = self.run(["checkpoint", "--ledger", ledger, "--latest"]).splitlines()
        return lines[0], int(lines[1]), base64.b64decode(lines[2]).hex()

    def run(self, args):
        t = time.time()
        try:
            p = subprocess.run([self.path] + args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        except OSError as e:
            raise EngineError(f"{self.path}: {e}")
        self.seconds += time.time() - t
        if p.returncode != 0:
            raise EngineError(f"evident {' '.join(args)}: {p.stderr.strip()}")
        return p.stdout

    def district(self, dist, views=VIEWS, report=True, tag="run"):
        """Append the district to a fresh ledger; return (log entries, {view: json}, summary)."""
        self.runs += 1
        d = os.path.join(self.work, tag)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        ledger = os.path.join(d, "L")
        shutil.copytree(self.template, ledger)
        # the events in one batch, or two when the report is made at the first one's tree size;
        # each batch cut again before every decision that cites this log's checkpoint ("@this":
        # filled in with the checkpoint of the entries before it, gen.cites_this_log)
        self.size = None
        batches = dist.batches()
        k = 0
        for i, batch in enumerate(batches):
            for seg in segments(batch):
                if gen.cites_this_log(seg[0]):
                    seg = [fill_citation(seg[0], self.checkpoint(ledger))] + seg[1:]
                k += 1
                ev = os.path.join(d, f"events{k}.jsonl")
                with open(ev, "w") as f:
                    f.write(dist.jsonl(seg))
                txt = self.run(["append", "--ledger", ledger, "--key",
                                os.path.join(ledger, "keys", "admin.pem"), ev])
                m = re.search(r"positions \d+\.\.(\d+)", txt)
                if i == 0 and len(batches) > 1 and m:
                    self.size = int(m.group(1)) + 1
        log_txt = self.run(["log", "--ledger", ledger])
        entries = [json.loads(x) for x in log_txt.splitlines() if x.strip()]
        # the log's bytes and origin, for "the report a decision read" (the model hashes them)
        bundle = os.path.join(d, "bundle")
        self.run(["export", "--ledger", ledger, "--out", bundle])
        with open(os.path.join(bundle, "checkpoint.txt")) as f:
            origin = f.readline().strip()
        leaves = {}
        with open(os.path.join(bundle, "entries.jsonl")) as f:
            for line in f:
                x = json.loads(line)
                leaves[x["index"]] = base64.b64decode(x["entry"])
        self.log_bytes = {"origin": origin, "leaves": [leaves[i] for i in range(len(leaves))]}
        out = {}
        for v in views:
            args = ["query", v, "--ledger", ledger]
            if dist.as_of:
                args += ["--as-of-date", dist.as_of]
            out[v] = json.loads(self.run(args))
        summ = None
        self.refused = self.failed = self.no_records = None
        if report:
            rdir = os.path.join(d, "report")
            args = ["report", "board", "--ledger", ledger, "--fiscal-year", str(dist.report_fy),
                    "--out", rdir]
            if dist.report_date:
                args += ["--as-of-date", dist.report_date]
            if self.size:
                args += ["--size", str(self.size)]
            try:
                self.run(args)
            except EngineError as e:
                # "nothing is recorded for fiscal year N": no report to compare; the views still are
                if "drawing the PDF" in str(e):
                    # the report failed on the district's words: a difference, not a stop
                    self.refused = None
                    self.failed = str(e).split(": evident report: ")[-1]
                    shutil.rmtree(d, ignore_errors=True)
                    return entries, out, None
                if "nothing is recorded" not in str(e):
                    raise
                # its words list the years with records (metrics.md "Since last year")
                self.refused = str(e)
            else:
                with open(os.path.join(rdir, "summary.json")) as f:
                    summ = json.load(f)
            # a year without records (the generator writes none before FY2021): the refusal
            # lists the years with records
            args = [a if a != str(dist.report_fy) else str(NO_RECORDS_FY) for a in args]
            args[args.index("--out") + 1] = rdir + "-none"
            try:
                self.run(args)
            except EngineError as e:
                if "nothing is recorded" not in str(e):
                    raise
                self.no_records = str(e)
        shutil.rmtree(d, ignore_errors=True)
        return entries, out, summ


def segments(events):
    """The events cut before each decision citing this log (gen.cites_this_log)."""
    out, cur = [], []
    for e in events:
        if gen.cites_this_log(e) and cur:
            out.append(cur)
            cur = []
        cur.append(e)
    return out + ([cur] if cur else [])


def fill_citation(e, cp):
    """A decision (or its correction) citing "@this": this log's origin, and the checkpoint of
    the entries before it ("@this"), its size with a root of another ("@this-badroot"), or a
    size it does not have yet ("@this-future")."""
    e = json.loads(json.dumps(e))
    b = e["body"]["body"] if e["event_type"] == "RecordCorrected" else e["body"]
    origin, size, root = cp
    how = b["report_origin"]
    b["report_origin"] = origin
    if how == "@this":
        b["report_tree_size"], b["report_root_hash"] = size, root
    elif how == "@this-badroot":
        b["report_tree_size"] = size
    elif how == "@this-future":
        b["report_tree_size"] = size + 1000
    return e


# --------------------------------------------------------------------------- row keys

def row_key(view, r):
    k = r.get("row")
    if k == "person_program":
        return (k, r["person"], r["program"])
    if k == "person_year":
        return (k, r["person"], r["school_year"])
    if k == "obligation":
        if r["side"] == "person":
            return (k, "person", r["person"], r["program"], r["kind"], r["date"])
        # a goal's detail is its title; a low rating's detail is words
        return (k, "district", r["person"], r["program"], r["kind"], r["date"],
                r.get("detail") if r["kind"] == "goal" else r.get("school_year"))
    if k == "site_program":
        return (k, r["fiscal_year"], r["site"], r["program"], r["staff_group"])
    if k in ("district_year", "comparison"):
        return (k, r["fiscal_year"])
    if k == "budget":
        return (k, r["fiscal_year"], r["fund"])
    if k == "unallocated":
        return (k, r["fiscal_year"], r["program"], r["category"], r["fund"], r["funding_source"])
    if k == "need_quartile":
        return (k, r["fiscal_year"], r["attribute"], r["quartile"])
    if k in ("time_and_effort_gap", "cost_without_invoice_or_po"):
        return (k, r["event_id"])
    if k == "federal_funds_on_required_program":
        return (k, r["program"], r["fiscal_year"], r["category"], r["fund"], r["funding_source"])
    if k == "amendment":
        return (k, r["position"])
    if k == "log":
        return (k,)
    return (k, json.dumps(r, sort_keys=True))


def aggregate_federal(rows, kind="federal_funds_on_required_program"):
    """Federal-funds rows (and unallocated rows) are compared as sums by their key (programme,
    year, category, fund and source): the doc does not say how finely they are listed (A-30;
    the engine lists unallocated costs per shared line, so two rows may have the same key)."""
    out, acc = [], {}
    for r in rows:
        if r.get("row") != kind:
            out.append(r)
            continue
        k = row_key("", r)
        if k not in acc:
            acc[k] = {x: r[x] for x in ("row", "program", "fiscal_year", "category", "fund",
                                        "funding_source")}
            acc[k]["cents"] = 0
            out.append(acc[k])
        acc[k]["cents"] += r["cents"]
    return out


def te_finding_kind(text):
    """The engine's time-and-effort finding, as the model's kind (keyword match)."""
    t = (text or "").lower()
    if "no certification" in t or "not certified" in t or "no time-and-effort" in t:
        return "no certification"
    if "before its period ended" in t or "not after" in t or "on the last day" in t or \
            "before the period" in t or "budgeted" in t:
        return "not signed after the period"
    if "late" in t or "more than 60" in t or "days after" in t:
        return "signed late"
    if "fund" in t:
        return "fund not named"
    return "?" + text


# --------------------------------------------------------------------------- comparing

def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def cmp_value(path, e, m, diffs):
    if isinstance(e, dict) and isinstance(m, dict):
        for k in sorted(set(e) | set(m)):
            if k in IGNORE:
                continue
            if k not in m:
                continue  # engine-only field: not a figure the doc defines here
            if k not in e:
                if k == "no_fund" and m[k] is False:
                    continue
                diffs.append((path + "." + k, "<absent>", m[k]))
                continue
            cmp_value(path + "." + k, e[k], m[k], diffs)
        return
    if isinstance(e, list) and isinstance(m, list):
        if all(isinstance(x, dict) for x in e + m):
            ek = lines_by_key(e)
            mk = lines_by_key(m)
            for k in sorted(set(ek) | set(mk), key=str):
                if ek.get(k, 0) != mk.get(k, 0):
                    diffs.append((path + "[" + k + "]", ek.get(k), mk.get(k)))
            return
        if e != m:
            diffs.append((path, e, m))
        return
    if is_num(e) and is_num(m):
        if isinstance(e, int) and isinstance(m, int):
            if e != m:
                diffs.append((path, e, m))
        elif abs(e - m) > TOL * max(1.0, abs(m) if abs(m) > 1e6 else 1.0):
            diffs.append((path, e, m))
        return
    if e != m:
        diffs.append((path, e, m))


def lines_by_key(lst):
    """A list of money lines ({..., "cents": n}) as {other fields: cents}."""
    out = {}
    for x in lst:
        k = ",".join(f"{a}={x[a]}" for a in sorted(x) if a != "cents")
        out[k] = out.get(k, 0) + x.get("cents", 0)
    return {k: v for k, v in out.items()}


def compare(engine_views, model_out, summ=None, model_summary=None):
    """Every difference as (view, row kind, field, row key, engine value, model value)."""
    diffs = []
    for v in VIEWS:
        ej = engine_views.get(v)
        if ej is None:
            continue
        if ej.get("as_of_from", "<absent>") != model_out["as_of_from"]:
            diffs.append((v, "(view)", "as_of_from", "()", ej.get("as_of_from", "<absent>"),
                          model_out["as_of_from"]))
        if ej.get("as_of") != model_out["as_of"]:
            diffs.append((v, "(view)", "as_of", "()", ej.get("as_of"), model_out["as_of"]))
        erows, mrows = ej["rows"], model_out[v]
        if v == "accountability":
            erows = aggregate_federal(erows, "unallocated")
            mrows = aggregate_federal(mrows, "unallocated")
        if v == "compliance":
            erows, mrows = aggregate_federal(erows), aggregate_federal(mrows)
            for r in erows:
                if r.get("row") == "time_and_effort_gap":
                    r["finding_kind"] = te_finding_kind(r.get("finding"))
            for r in mrows:
                if r.get("row") == "time_and_effort_gap":
                    r["finding_kind"] = r.get("finding")
        em = {}
        for r in erows:
            em.setdefault(row_key(v, r), []).append(r)
        mm = {}
        for r in mrows:
            mm.setdefault(row_key(v, r), []).append(r)
        for k in sorted(set(em) | set(mm), key=str):
            kind = k[0]
            if k not in mm:
                diffs.append((v, kind, "(row)", str(k), "present", "absent"))
                continue
            if k not in em:
                diffs.append((v, kind, "(row)", str(k), "absent", "present"))
                continue
            if len(em[k]) != len(mm[k]):
                diffs.append((v, kind, "(row count)", str(k), len(em[k]), len(mm[k])))
            d = []
            if kind == "amendment":
                # the outcome's reason is words: compare "applied" / "not applied"
                for r in (em[k][0], mm[k][0]):
                    r["outcome"] = str(r.get("outcome")).split(":")[0]
            cmp_value("", em[k][0], mm[k][0], d)
            for path, a, b in d:
                diffs.append((v, kind, path, str(k), a, b))
    if summ is not None and model_summary is not None:
        for path, a, b in summary_model.compare(summ, model_summary):
            diffs.append(("summary", path.split("[")[0].split(".")[0], path, "", a, b))
    return diffs


def listed_years(refusal):
    m = re.search(r"with records:([^)]*)", refusal)
    return sorted({int(y) for y in re.findall(r"\d{4}", m.group(1))}) if m else []


def compare_records(fy, refused, made, have, no_records=None):
    """"a year for which `evident report board` would make a report ... the command's error for
    a year without records lists the years with them": the engine's report (made or refused),
    the years its refusal lists, and the years listed by its refusal of a year without records
    (`no_records`), against the model's years with records `have` (A-55)."""
    diffs = []
    if no_records is not None and listed_years(no_records) != sorted(have):
        diffs.append(("summary", "records", "years with records", str(NO_RECORDS_FY),
                      listed_years(no_records), sorted(have)))
    if made and fy not in have:
        diffs.append(("summary", "records", "report made", str(fy), "made", "no records"))
    if refused is not None:
        if fy in have:
            diffs.append(("summary", "records", "report made", str(fy), "refused", "records"))
        listed = listed_years(refused)
        if listed != sorted(have) and no_records is None:
            diffs.append(("summary", "records", "years with records", str(fy), listed,
                          sorted(have)))
    return diffs


def signature(diff):
    """A difference's kind: view, row, field with list keys and row keys left out."""
    v, kind, path, key, a, b = diff
    p = path.split("[")[0]
    if kind == "amendment" and path == ".outcome":
        return (v, kind, p, str(a).split(":")[0] + " vs " + str(b).split(":")[0])
    if path == "(row)":
        return (v, kind, p, f"engine {a}, model {b}")
    if v == "summary":
        p = path
        import re
        p = re.sub(r"rows\[[^\]]*\]", "rows[]", p)
    return (v, kind, p)


# --------------------------------------------------------------------------- one district

LOG_BYTES = {}  # the district's log bytes and origin (summary.LOG_BYTES)
BASE = {}  # the model's readings for this run: model.DOC, or with --as-engine DOC + KNOWN


def model_diffs(entries, dist, ev, summ, readings=None, mutate=(), refused=None,
                report=True, size=None, no_records=None):
    """The differences between the engine's answers and the model's (computed once). The
    report is of the log's first `size` entries when given (`--size`)."""
    readings = readings or BASE.get("readings")
    model.MUTATE.clear()
    model.MUTATE.update(mutate)
    rentries = entries[:size] if size else entries
    summary_model.WHOLE_LOG["entries"] = entries
    summary_model.LOG_BYTES.clear()
    summary_model.LOG_BYTES.update(LOG_BYTES)
    try:
        out = model.compute(entries, dist.as_of, readings or model.DOC)
        msum = None
        if summ is not None:
            msum = summary_model.summary(None if size else out, dist.report_fy,
                                         dist.report_date, rentries, readings or model.DOC)
        diffs = compare(ev, out, summ, msum)
        if msum is not None:
            diffs += compare_records(dist.report_fy, refused, True, set(msum["years_with_records"]),
                                     no_records)
        elif report and refused is not None:
            rout = out
            if size or out["as_of"] != \
                    model.reporting_date(rentries, dist.report_date)[0].isoformat():
                rout = model.compute(rentries, dist.report_date, readings or model.DOC)
            diffs += compare_records(dist.report_fy, refused, False,
                                     summary_model.record_years(rout), no_records)
        return diffs
    finally:
        model.MUTATE.clear()


def diff_key(x):
    return tuple(map(str, x[:4]))


def check(engine, dist, views=VIEWS, report=True, tag="run", why=None, mutate=()):
    """The differences under the model's readings (model.DOC). With `mutate`, only the
    differences of the mutated model that the model itself does not have. With a dict `why`
    (--diagnose), each kind is filed under what explains its occurrences: "old reading" (it
    vanishes under model.ALT), "known" (under model.KNOWN), "both", or "unexplained"."""
    entries, ev, summ = engine.district(dist, views, report, tag)
    refused, size, nr = engine.refused, engine.size, engine.no_records
    LOG_BYTES.clear()
    LOG_BYTES.update(engine.log_bytes)
    diffs = model_diffs(entries, dist, ev, summ, refused=refused, report=report, size=size,
                        no_records=nr)
    if engine.failed:
        diffs.append(("summary", "report", "(report fails)", "", engine.failed, "a report"))
    if mutate:
        base = {diff_key(x) for x in diffs}
        diffs = [x for x in model_diffs(entries, dist, ev, summ, mutate=mutate, refused=refused,
                                        report=report, size=size, no_records=nr)
                 if diff_key(x) not in base]
    if why is not None and diffs and not mutate:
        # which reading removes each difference: the old ones (model.ALT), or one of the
        # engine's observed behaviours (model.KNOWN), each switched on alone
        trials = [("old reading", model.ALT), ("engine:all", dict(model.DOC, **model.KNOWN))] + [
            (f"engine:{k}", dict(model.DOC, **{k: v})) for k, v in model.KNOWN.items()]
        gone = {}
        for name, readings in trials:
            left = {diff_key(x) for x in model_diffs(entries, dist, ev, summ, readings,
                                                     refused=refused, report=report, size=size,
                                                     no_records=nr)}
            gone[name] = left
        for x in diffs:
            k = diff_key(x)
            names = [n for n, left in gone.items() if k not in left] or ["unexplained"]
            why.setdefault(signature(x), set()).update(names)
    return diffs


def shrink(engine, dist, sig, budget=120, mutate=()):
    """Drop events while a difference of kind `sig` persists. Returns the smallest district."""
    view = sig[0]
    views = [view] if view in VIEWS else []
    report = view == "summary"

    def still(events):
        events = gen.valid_subset(events)
        cand = gen.District(dist.seed, events, dist.as_of, dist.report_fy, dist.report_date,
                            dist.first)
        try:
            diffs = check(engine, cand, views, report, tag="shrink", mutate=mutate)
        except EngineError:
            return None
        return cand if any(signature(x) == sig for x in diffs) else None

    best = dist
    runs = 0
    chunk = max(1, len(best.events) // 2)
    while chunk >= 1 and runs < budget:
        i = 0
        progressed = False
        while i < len(best.events) and runs < budget:
            trial = best.events[:i] + best.events[i + chunk:]
            runs += 1
            c = still(trial)
            if c is not None and len(c.events) < len(best.events):
                best = c
                progressed = True
            else:
                i += chunk
        if not progressed:
            chunk //= 2
    return best, runs


# --------------------------------------------------------------------------- workers

_W = {}


def _init_worker(engine_path, work, template, opts):
    wdir = os.path.join(work, f"w{os.getpid()}")
    os.makedirs(wdir, exist_ok=True)
    _W["engine"] = Engine(engine_path, wdir, template)
    _W["opts"] = opts


def run_seed(seed):
    """One district: (seed, events, diffs, why, engine seconds, all seconds, error)."""
    eng, opts = _W["engine"], _W["opts"]
    t0, e0 = time.time(), eng.seconds
    dist = gen.generate(seed)
    why = {} if opts["diagnose"] else None
    try:
        diffs = check(eng, dist, VIEWS, opts["report"], tag=f"s{seed}", why=why,
                      mutate=opts["mutate"])
    except EngineError as e:
        return seed, len(dist.events), [], {}, eng.seconds - e0, time.time() - t0, str(e)
    return (seed, len(dist.events), diffs, {k: sorted(v) for k, v in (why or {}).items()},
            eng.seconds - e0, time.time() - t0, None)


def print_shrunk(engine, dist, sg, a):
    small, runs = shrink(engine, dist, sg, a.shrink_budget, a.mutate)
    nb = len(small.batches()[0]) if len(small.batches()) > 1 else None
    print(f"  shrunk {sg} to {len(small.events)} events in {runs} runs "
          f"(as_of {small.as_of}, report FY {small.report_fy} date {small.report_date}"
          + (f"; the report at the size after the first {nb} events, appended alone" if nb else "")
          + "):")
    sys.stdout.write("".join("    " + x for x in small.jsonl().splitlines(True)))
    views = [sg[0]] if sg[0] in VIEWS else []
    for y in check(engine, small, views, sg[0] == "summary", tag="shrink", mutate=a.mutate):
        if signature(y) == sg:
            print(f"    -> {y[0]} {y[1]} {y[2]} row {y[3]}: engine {json.dumps(y[4])} "
                  f"model {json.dumps(y[5])}")
    sys.stdout.flush()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default=os.environ.get("EVIDENT_ENGINE"),
                    help="the evident binary (default $EVIDENT_ENGINE)")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--keep-going", action="store_true")
    ap.add_argument("--no-shrink", action="store_true")
    ap.add_argument("--no-report", action="store_true")
    ap.add_argument("--diagnose", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="print every difference")
    ap.add_argument("--as-engine", action="store_true", help="run the model with the engine's "
                    "observed readings (model.KNOWN) where the doc is silent: only the rest shows")
    ap.add_argument("--mutate", choices=sorted(model.MUTATIONS), action="append", default=[])
    ap.add_argument("--shrink-kind", help="shrink this kind (as printed, a tuple) instead of the "
                    "first new one")
    ap.add_argument("--shrink-budget", type=int, default=120)
    ap.add_argument("--plain-words", action="store_true", help="the decisions' rationales in "
                    "ASCII, at most 20 characters, and their measures likewise (the same draws; "
                    "for an engine whose PDF cannot draw others: FINDINGS.md F-1)")
    ap.add_argument("--work", help="scratch directory (kept); default a temporary one, removed")
    ap.add_argument("--json", help="write every difference kind with its first seed here")
    try:
        a = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    if not a.engine:
        print("diff.py: --engine PATH (or $EVIDENT_ENGINE) is required", file=sys.stderr)
        return 2
    if not (os.path.isfile(a.engine) and os.access(a.engine, os.X_OK)):
        print(f"diff.py: {a.engine}: not an executable", file=sys.stderr)
        return 2
    if a.seeds < 1 or a.jobs < 1:
        print("diff.py: --seeds and --jobs must be at least 1", file=sys.stderr)
        return 2
    a.mutate = tuple(a.mutate)
    gen.PLAIN_WORDS = a.plain_words
    BASE["readings"] = dict(model.DOC, **model.KNOWN) if a.as_engine else model.DOC
    work = a.work or tempfile.mkdtemp(prefix="evident-model-")
    try:
        return run(a, work)
    except EngineError as e:
        print(f"diff.py: the engine failed: {e}", file=sys.stderr)
        return 2
    finally:
        if not a.work:
            # an engine command a stopped worker had started may still write for a moment
            for _ in range(50):
                shutil.rmtree(work, ignore_errors=True)
                if not os.path.exists(work):
                    break
                time.sleep(0.1)


def run(a, work):
    template = Engine.make_template(a.engine, work)
    opts = {"report": not a.no_report, "diagnose": a.diagnose, "mutate": a.mutate}
    seeds = range(a.start, a.start + a.seeds)
    if a.jobs > 1:
        pool = multiprocessing.get_context("fork").Pool(
            a.jobs, _init_worker, (a.engine, work, template, opts))
        results = pool.imap(run_seed, seeds)
    else:
        pool = None
        _init_worker(a.engine, work, template, opts)
        results = map(run_seed, seeds)
    main_engine = Engine(a.engine, os.path.join(work, "main"), template)
    seen, counts, whys = {}, {}, {}
    failed, done, eng_s, all_s = [], 0, 0.0, 0.0
    t0 = time.time()
    status = 0
    try:
        for seed, nev, diffs, why, es, ts, err in results:
            done += 1
            eng_s += es
            all_s += ts
            if err:
                print(f"seed {seed}: the engine failed: {err}", file=sys.stderr)
                status = 2
                break
            new = []
            for x in diffs:
                sg = signature(x)
                whys.setdefault(sg, set()).update(why.get(str(sg), why.get(sg, ())))
                counts[sg] = counts.get(sg, 0) + 1
                if sg not in seen:
                    seen[sg] = (seed, x)
                    new.append((sg, x))
            for k, v in why.items():
                whys.setdefault(k, set()).update(v)
            print(f"seed {seed}: {nev} events, {len(diffs)} differences ({len(new)} new kinds), "
                  f"engine {es:.2f} s, all {ts:.2f} s", flush=True)
            if a.verbose:
                for x in diffs:
                    print(f"  {x[0]} {x[1]} {x[2]} row {x[3]}: engine {json.dumps(x[4])} "
                          f"model {json.dumps(x[5])}")
            for sg, x in new:
                tag = "/".join(sorted(why.get(sg, ())))
                print(f"  NEW {sg} {tag}: row {x[3]}: engine {json.dumps(x[4])} "
                      f"model {json.dumps(x[5])}")
            if diffs:
                status = 1
                failed.append(seed)
            if new and not a.no_shrink:
                dist = gen.generate(seed)
                pick = [y for y in new if str(y[0]) == a.shrink_kind] if a.shrink_kind else []
                if not pick:
                    # the first new kind, not the view-level fields (the same in every district)
                    pick = sorted(new, key=lambda y: y[0][1] == "(view)")
                print_shrunk(main_engine, dist, pick[0][0], a)
            if diffs and not a.keep_going:
                break
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    wall = time.time() - t0
    print(f"\n{done} districts (seeds {a.start}..{a.start + done - 1}), {len(failed)} differing, "
          f"{len(counts)} kinds of difference; {wall:.1f} s wall, {all_s / max(done, 1):.2f} s "
          f"per district ({eng_s / max(done, 1):.2f} s engine), jobs {a.jobs}"
          + (f"; mutation {'+'.join(a.mutate)}" if a.mutate else ""))
    for sg, n in sorted(counts.items(), key=lambda x: str(x[0])):
        w = whys.get(sg, set())
        tag = "" if not a.diagnose else ("UNEXPLAINED" if w == {"unexplained"} else (
            "+".join(sorted(w - {"unexplained"})) + ("+UNEXPLAINED" if "unexplained" in w else "")))
        print(f"  {n:5d}  {sg}  (first seed {seen[sg][0]}) {tag}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump([{"kind": list(sg), "count": counts[sg], "seed": seen[sg][0],
                        "why": sorted(whys.get(sg, ())),
                        "example": [str(v) for v in seen[sg][1]]} for sg in counts], f, indent=1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
