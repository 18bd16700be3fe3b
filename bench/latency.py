"""Per-query latency, warm, including query encoding, on both backends side by side, with the
encoder alone measured in the same run (the overhead ratio).

    python -m bench.latency [--state-dir var] [--repeat 15] [--no-neo4j]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from graph.query.results import Course

QUERIES = ["渗透测试 漏洞", "operate drones for aerial survey", "给病人做康复训练", "carbon trading", "焊接钢结构"]
OCCUPATIONS = ["信息安全测试员", "中式烹调师", "4-02-02-02", "电工", "碳排放管理员"]
COURSES = [
    Course(title="网络攻防与渗透测试", description="漏洞扫描、渗透测试工具、安全评估报告"),
    Course(title="Linux 系统管理", description="用户、权限、服务、日志与网络配置"),
    Course(title="Cryptography", description="symmetric and public-key encryption, protocols"),
]


def cases(store) -> dict[str, Callable[[int], object]]:
    return {
        "search": lambda i: store.search(QUERIES[i % len(QUERIES)], None, 10),
        "search_occupations": lambda i: store.search(QUERIES[i % len(QUERIES)], ["Occupation"], 10),
        "profile": lambda i: store.profile(OCCUPATIONS[i % len(OCCUPATIONS)]),
        "title_directions": lambda i: store.title_directions(OCCUPATIONS[i % len(OCCUPATIONS)]),
        "similar_occupations": lambda i: store.similar_occupations(OCCUPATIONS[i % len(OCCUPATIONS)], 10),
        "career_paths": lambda i: store.career_paths(OCCUPATIONS[i % len(OCCUPATIONS)], None, 5),
        "skill_gap": lambda i: store.skill_gap(
            OCCUPATIONS[i % len(OCCUPATIONS)], OCCUPATIONS[(i + 1) % len(OCCUPATIONS)]
        ),
        "curriculum_map": lambda i: store.curriculum_map(COURSES, OCCUPATIONS[0]),
        "batches": lambda i: store.batches(),
    }


def measure(fn: Callable[[int], object], repeat: int) -> dict[str, float]:
    fn(0)  # warm
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
    }


def run(stores: dict[str, object], encoder, repeat: int) -> dict:
    out: dict = {"encoder_only": measure(lambda i: encoder.encode_queries([QUERIES[i % len(QUERIES)]]), repeat)}
    for name, store in stores.items():
        out[name] = {case: measure(fn, repeat) for case, fn in cases(store).items()}
    # interleave once more for the encoder so a drifting machine shows in the ratio's denominator too
    out["encoder_only_after"] = measure(lambda i: encoder.encode_queries([QUERIES[i % len(QUERIES)]]), repeat)
    return out


def report(result: dict) -> str:
    enc = statistics.mean([result["encoder_only"]["p50_ms"], result["encoder_only_after"]["p50_ms"]])
    backends = [b for b in result if b not in ("encoder_only", "encoder_only_after")]
    head = (
        "| query | "
        + " | ".join(f"{b} p50 | {b} p95" for b in backends)
        + (" | neo4j / embedded (p50) |" if len(backends) == 2 else " |")
    )
    lines = [
        f"Encoder alone (one query): p50 {result['encoder_only']['p50_ms']} ms before, "
        f"{result['encoder_only_after']['p50_ms']} ms after the backends.",
        "",
        head,
        "|" + "---|" * (1 + 2 * len(backends) + (1 if len(backends) == 2 else 0)),
    ]
    for case in result[backends[0]]:
        cells = [f"{result[b][case]['p50_ms']} | {result[b][case]['p95_ms']}" for b in backends]
        ratio = ""
        if len(backends) == 2:
            ratio = f" | {result[backends[1]][case]['p50_ms'] / max(result[backends[0]][case]['p50_ms'], 0.01):.2f}"
        lines.append(f"| {case} | " + " | ".join(cells) + ratio + " |")
    lines += [
        "",
        f"Search overhead over the encoder (embedded): {result[backends[0]]['search']['p50_ms'] - enc:.1f} ms at p50.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    from api.wiring import load_encoder
    from graph.build.generations import current_generation
    from graph.embedded.store import EmbeddedStore
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--no-neo4j", action="store_true")
    ap.add_argument("--out", type=Path, default=Path("bench/reports/latency"))
    args = ap.parse_args()
    settings = Settings(**({"state_dir": args.state_dir} if args.state_dir else {}))
    encoder = load_encoder(settings)
    generation = current_generation(settings.state_dir)
    t = time.perf_counter()
    stores = {"embedded": EmbeddedStore(generation, lambda: encoder)}
    load_s = time.perf_counter() - t
    server = None
    if not args.no_neo4j:
        from bench.private_neo4j import private_settings
        from graph.neo4j.load import ensure_loaded
        from graph.neo4j.server import shared_server
        from graph.neo4j.store import Neo4jStore

        server = shared_server(private_settings(settings, "bench"))
        conn = server.__enter__()
        driver = conn.driver()
        ensure_loaded(driver, generation, log=lambda m: None)
        stores["neo4j"] = Neo4jStore(driver, lambda: encoder, timeout_s=60)
    try:
        result = run(stores, encoder, args.repeat)
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    result["embedded_load_s"] = round(load_s, 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    text = (
        f"# Query latency (warm, including query encoding)\n\nGeneration {generation.name}; {args.repeat} runs per query; "
        f"embedded store loaded in {load_s:.2f} s.\n\n"
        + report({k: v for k, v in result.items() if k != "embedded_load_s"})
    )
    args.out.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
