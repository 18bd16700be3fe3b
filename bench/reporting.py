"""What every bench does with its result: JSON and Markdown beside each other, and headless plots."""

from __future__ import annotations

import json
from pathlib import Path


def write_report(out: Path, result, title: str, markdown: str) -> str:
    """`out`.json (the figures) and `out`.md (title + markdown); returns the Markdown, printed too."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    text = f"# {title}\n\n{markdown}"
    out.with_suffix(".md").write_text(text)
    print(text)
    return text


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display on the machines benches run on)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def reliability(pairs: list[tuple[float, bool]]) -> tuple[list[dict], float]:
    """Confidence against the share right in ten bins, and the expected calibration error (the bins'
    gaps weighted by their size); empty bins are left out."""
    import numpy as np

    bins: dict[int, list[tuple[float, bool]]] = {}
    for p, right in pairs:
        bins.setdefault(min(int(p * 10), 9), []).append((p, right))
    table = [
        {
            "bin": f"{b / 10:.1f}–{(b + 1) / 10:.1f}",
            "n": len(v),
            "mean_confidence": round(float(np.mean([p for p, _ in v])), 3),
            "share_right": round(float(np.mean([r for _, r in v])), 3),
        }
        for b, v in sorted(bins.items())
    ]
    n = sum(t["n"] for t in table)
    ece = sum(t["n"] / n * abs(t["mean_confidence"] - t["share_right"]) for t in table) if n else 0.0
    return table, round(ece, 4)


def plot_reliability(
    table: list[dict], path: Path, xlabel: str, ylabel: str, title: str, thresholds: dict[str, float]
) -> None:
    """The reliability curve against the diagonal, with the thresholds (label → confidence) marked."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], ls=":", c="grey")
    ax.plot([t["mean_confidence"] for t in table], [t["share_right"] for t in table], marker="o")
    for (label, x), colour in zip(thresholds.items(), ("tab:orange", "tab:green", "tab:red"), strict=False):
        ax.axvline(x, ls="--", c=colour, lw=0.8, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def same_encoder(store, settings) -> None:
    """Refuse a store whose encoder is not the one its graph was built with: a fit would be written for
    one encoder from the other's cosines (a base-encoder graph read with the adapted encoder did that)."""
    from graph.build.generations import current_generation

    built = json.loads((current_generation(settings.state_dir) / "meta.json").read_text())["model"]
    if built != store.encoder.model_id:
        raise SystemExit(
            f"{settings.state_dir} was built with {built}, the encoder is {store.encoder.model_id}: "
            "set ZHIYE_ADAPT_ENCODER to match"
        )


def calibration_cli(description: str, default_out: str, fit_help: str, argv: list[str] | None):
    """The arguments every calibration bench takes (--state-dir, --fit, --out) and the store they name."""
    import argparse

    from api.wiring import open_store
    from graph.settings import Settings

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--fit", action="store_true", help=fit_help)
    ap.add_argument("--out", type=Path, default=Path(default_out))
    args = ap.parse_args(argv)
    settings = Settings(**({"state_dir": args.state_dir} if args.state_dir else {}))
    store = open_store(settings)
    same_encoder(store, settings)
    return args, store


def reliability_markdown(table: list[dict], right: str = "share right") -> list[str]:
    """The reliability table as Markdown lines."""
    return ["| confidence | n | mean confidence | " + right + " |", "|---|---|---|---|"] + [
        f"| {t['bin']} | {t['n']} | {t['mean_confidence']} | {t['share_right']} |" for t in table
    ]


def fit_logistic(
    rows: list[dict], features: tuple[str, ...], label: str = "label", weights: list[float] | None = None
) -> dict:
    """scikit-learn's logistic regression on standardised features, as graph.query.confidence.ConfidenceModel
    reads it: rows carry `features` (name → value) and a 0/1 `label`. A constant feature stays inert."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([[r["features"][f] for f in features] for r in rows], dtype=float)
    y = np.array([int(r[label]) for r in rows])
    mean, std = X.mean(0), np.where(X.std(0) < 1e-6, 1.0, X.std(0))
    lr = LogisticRegression(C=1.0, max_iter=1000).fit((X - mean) / std, y, sample_weight=weights)
    return {
        "features": list(features),
        "mean": mean.round(6).tolist(),
        "std": std.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
    }


def probability(model: dict, feats: dict) -> float:
    """A fitted model's (fit_logistic) probability for one row's features."""
    import math

    z = model["intercept"] + sum(
        c * (feats[f] - m) / s
        for f, m, s, c in zip(model["features"], model["mean"], model["std"], model["coef"], strict=False)
    )
    return 1.0 / (1.0 + math.exp(-z))


def grouped_cv(rows: list[dict], group: str, fit, folds: int = 5) -> list[float]:
    """Each row's probability from a model fitted (by `fit(rows)`) without its fold; folds by `group`,
    so the rows of one task, occupation or query are never on both sides."""
    import random

    keys = sorted({r[group] for r in rows})
    random.Random(7).shuffle(keys)
    fold = {k: i % folds for i, k in enumerate(keys)}
    probs = [0.0] * len(rows)
    for k in range(folds):
        model = fit([r for r in rows if fold[r[group]] != k])
        for i, r in enumerate(rows):
            if fold[r[group]] == k:
                probs[i] = probability(model, r["features"])
    return probs


def precision_from(rows: list[dict], probs: list[float], t: float) -> float | None:
    """Precision of the rows kept at threshold t (labels 0/1, each row weighted by its `weight`, default 1)."""
    kept = [(r["label"], r.get("weight", 1.0)) for r, p in zip(rows, probs, strict=False) if p >= t]
    return sum(x * w for x, w in kept) / sum(w for _, w in kept) if kept else None


def lowest_threshold(rows: list[dict], probs: list[float], target: float) -> float:
    """The lowest threshold (0.30 … 0.95, in hundredths) whose kept rows reach `target` precision; 0.95 when none does."""
    for t in range(30, 96):
        precision = precision_from(rows, probs, t / 100)
        if precision is not None and precision >= target:
            return t / 100
    return 0.95


def write_fit(
    kind: str, encoder_id: str, fitted: dict, partial: float, strong: float, fitted_on: dict, meaning: str
) -> None:
    """Write a fitted model (fit_logistic) where graph.query.confidence.model_for finds it, with its thresholds
    and what its score means, and forget the cached copy."""
    import time

    from graph.query.confidence import load, model_file

    model_file(kind, encoder_id).write_text(
        json.dumps(
            {
                "name": f"logistic-{time.strftime('%Y%m%d')}",
                **fitted,
                "partial": partial,
                "strong": strong,
                "fitted_on": fitted_on,
                "meaning": meaning,
                "encoder": encoder_id,
            },
            indent=1,
        )
        + "\n"
    )
    load.cache_clear()


def sample_or_fit_args(
    argv: list[str] | None, description: str, default_out: str, fit_help: str, sample_options: dict[str, dict]
):
    """`… sample --out sheet.csv [options]` (a labelling sheet) or `… [--fit] [--out report]`, both with
    --state-dir; returns (sampling, args)."""
    import argparse
    import sys

    argv = list(sys.argv[1:] if argv is None else argv)
    sampling = argv[:1] == ["sample"]
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--state-dir", type=Path)
    if sampling:
        ap.add_argument("--out", type=Path, required=True)
        for name, options in sample_options.items():
            ap.add_argument(name, **options)
    else:
        ap.add_argument("--fit", action="store_true", help=fit_help)
        ap.add_argument("--out", type=Path, default=Path(default_out))
    return sampling, ap.parse_args(argv[1:] if sampling else argv)


def on_report_half(
    kind: str,
    encoder_id: str,
    rows: list[dict],
    out: Path,
    xlabel: str,
    ylabel: str,
    title: str,
    thresholds: dict[str, float],
):
    """The fitted model of `kind` for the encoder applied to the report half's rows: (model, probabilities,
    reliability table, ECE), with the reliability plot written beside `out`."""
    from graph.query.confidence import KIND_FEATURES, load, model_file

    model = load(model_file(kind, encoder_id), KIND_FEATURES[kind])
    probs = [model.probability(r["features"]) for r in rows]
    table, ece = reliability([(p, bool(r["label"])) for p, r in zip(probs, rows, strict=False)])
    plot_reliability(table, out.parent / f"{out.name}_reliability.png", xlabel, ylabel, title, thresholds)
    return model, probs, table, ece


def generation_data(generation: Path) -> tuple[dict, dict]:
    """A generation's dataset (as JSON) and its vectors centred as the build centres them (graph.build.derive.centred),
    for benches that rerun the build's own link inference on them."""
    import numpy as np

    from graph.build.derive import centred

    dataset = json.loads((generation / "dataset.json").read_text())
    keys = json.loads((generation / "vector_keys.json").read_text())
    return dataset, centred(dict(zip(keys, np.load(generation / "vectors.npy"), strict=False)))
