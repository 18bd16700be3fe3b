"""Precision of similar_occupations against hand judgements (bench/eval/similar_judgements.csv).

    python -m bench.eval_similar [--state-dir var]
Pairs the engine now returns that were never judged are listed, not counted.
"""
from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

JUDGEMENTS = Path(__file__).parent / "eval" / "similar_judgements.csv"


def evaluate(store, path: Path = JUDGEMENTS, k: int = 3) -> dict:
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            judged[row["occupation"]][row["similar_code"]] = int(row["judgement"])
    at1, atk, unjudged = [], [], []
    for occ, labels in judged.items():
        results = store.similar_occupations(occ, k)
        for rank, r in enumerate(results, 1):
            if r.code not in labels:
                unjudged.append(f"{occ} → {r.name_zh} ({r.code})")
                continue
            atk.append(labels[r.code])
            if rank == 1:
                at1.append(labels[r.code])
    return {"occupations": len(judged), "pairs_judged": sum(len(v) for v in judged.values()),
            "precision@1": round(sum(at1) / len(at1), 3) if at1 else None,
            f"precision@{k}": round(sum(atk) / len(atk), 3) if atk else None, "unjudged": unjudged}


def main() -> None:
    from graph.open_store import open_store
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/reports/similar_eval"))
    args = ap.parse_args()
    store = open_store(Settings(**({"state_dir": args.state_dir} if args.state_dir else {})))
    result = evaluate(store)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
