"""`make bench`: every report in bench/reports/ from one run on the current generation.

    python -m bench.run [--state-dir var] [--no-neo4j]
"""
from __future__ import annotations

import argparse
import sys


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir")
    ap.add_argument("--no-neo4j", action="store_true")
    args = ap.parse_args()
    common = ["--state-dir", args.state_dir] if args.state_dir else []
    from bench import eval_search, eval_similar, eval_skill_links, latency

    for module, extra in ((eval_search, []), (eval_similar, []), (eval_skill_links, []),
                          (latency, ["--no-neo4j"] if args.no_neo4j else [])):
        sys.argv = [module.__name__, *common, *extra]
        module.main()


if __name__ == "__main__":
    main()
