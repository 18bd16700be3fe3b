"""Precision of Task → Skill links against the hand labels in data/skill_link_labels.csv.

    python -m bench.eval_skill_links [--state-dir var]
Labelled links the current build no longer makes are reported (their labels say nothing now).
"""
from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

LABELS = Path(__file__).resolve().parent.parent / "data" / "skill_link_labels.csv"


def evaluate(dataset: dict, path: Path = LABELS) -> dict:
    names = {n["id"]: n.get("name_zh") for n in dataset["nodes"] if n["label"] == "Skill"}
    links = {(r["start"], names[r["end"]]): r["props"]["method"] for r in dataset["relations"] if r["type"] == "USES_SKILL"}
    by_method: dict[str, list[int]] = defaultdict(list)
    gone = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            method = links.get((row["task_id"], row["skill"]))
            if method is None:
                gone.append(f"{row['task_id']} → {row['skill']}")
                continue
            by_method[method].append(int(row["label"]))
    every = [x for v in by_method.values() for x in v]
    counts = defaultdict(int)
    for m in links.values():
        counts[m] += 1
    return {"labelled": len(every), "precision": round(sum(every) / len(every), 3) if every else None,
            "by_method": {m: {"labelled": len(v), "precision": round(sum(v) / len(v), 3)} for m, v in sorted(by_method.items())},
            "links_in_graph": dict(counts), "labelled_links_no_longer_made": gone}


def main() -> None:
    from graph.generations import current_generation
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/reports/skill_links.json"))
    args = ap.parse_args()
    settings = Settings(**({"state_dir": args.state_dir} if args.state_dir else {}))
    dataset = json.loads((current_generation(settings.state_dir) / "dataset.json").read_text())
    result = evaluate(dataset)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
