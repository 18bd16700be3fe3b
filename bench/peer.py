"""Our occupation search against what a competent neo4j-graphrag user would set up on the same
Neo4j, the same encoder and the same labelled set (bench/eval/queries.csv): R@1, R@5, MRR@10 and
warm per-query latency (including query encoding), side by side, from one run.

    HF_HUB_OFFLINE=1 python -m bench.peer [--state-dir var]

Peers (neo4j-graphrag's public retrievers, default settings unless stated):
  vc_occupation  VectorCypherRetriever on `occupation_embedding` (occupation description vectors)
  vc_task        VectorCypherRetriever on `task_embedding`, Task<-[:HAS_TASK]-Occupation, max score
  hybrid         HybridRetriever on `occupation_embedding` + a cjk fulltext index over Occupation
                 names and definitions (naive ranker: max of the max-normalised scores)
  hybrid_linear_a  the same with the linear ranker, alpha 0.5 and 0.6. At 0.5 neo4j-graphrag's linear
                 query (UNION, not UNION ALL, of the two branches) drops one of two identical rows: an
                 occupation first in both lists gets 0.5·1 once, 0.5 instead of 1; 0.6 avoids the collision.

The fulltext index is the peer's set-up, not the product's, so it is created here. Lucene special
characters in the query are escaped (the retriever passes query text to Lucene unescaped).
The private server runs from ``<cache_dir>/bench/cache/neo4j``; nothing else's server is touched.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bench.eval_search import _metrics, load_queries

K = 10
ALPHAS = (0.5, 0.6)
TASK_POOL = 50  # tasks fetched to fill 10 occupations (≈6.5 tasks per occupation)
PEER_FULLTEXT = (
    "CREATE FULLTEXT INDEX peer_occupation_text IF NOT EXISTS FOR (n:Occupation) "
    "ON EACH [n.name_zh, n.definition, n.name_en, n.definition_en] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
)
LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')

VC_OCCUPATION_QUERY = "WITH node, score WHERE node.gen = $gen RETURN node.id AS id, score"
VC_TASK_QUERY = (
    "MATCH (node)<-[:HAS_TASK]-(o:Occupation) WHERE o.gen = $gen "
    "WITH o, max(score) AS score RETURN o.id AS id, score ORDER BY score DESC LIMIT $k"
)


def lucene_escape(text: str) -> str:
    return LUCENE_SPECIAL.sub(r"\\\1", text)


def _ids(records, gen: str) -> list[str]:
    out: list[str] = []
    for r in records:
        if "node" in r.keys():
            node = r["node"]
            if node.get("gen") != gen:
                continue
            oid = node.get("id")
        else:
            oid = r["id"]
        if oid and oid not in out:
            out.append(oid)
    return out[:K]


def systems(driver, store, encoder, gen: str) -> dict:
    from neo4j_graphrag.embeddings.base import Embedder
    from neo4j_graphrag.retrievers import HybridRetriever, VectorCypherRetriever

    class ZhiyeEmbedder(Embedder):
        def embed_query(self, text: str) -> list[float]:
            return encoder.encode_queries([text])[0].tolist()

    emb = ZhiyeEmbedder()
    vc_occ = VectorCypherRetriever(driver, "occupation_embedding", VC_OCCUPATION_QUERY, emb)
    vc_task = VectorCypherRetriever(driver, "task_embedding", VC_TASK_QUERY, emb)
    hybrid = HybridRetriever(
        driver, "occupation_embedding", "peer_occupation_text", emb, return_properties=["id", "gen"]
    )
    return {
        "ours": lambda q: store.occupation_ranking(q, k=K),
        "vc_occupation": lambda q: _ids(
            vc_occ.get_search_results(query_text=q, top_k=K, query_params={"gen": gen}).records, gen
        ),
        "vc_task": lambda q: _ids(
            vc_task.get_search_results(query_text=q, top_k=TASK_POOL, query_params={"gen": gen, "k": K}).records, gen
        ),
        "hybrid": lambda q: _ids(hybrid.get_search_results(query_text=lucene_escape(q), top_k=K).records, gen),
        **{
            f"hybrid_linear_{a}": (
                lambda alpha: (
                    lambda q: _ids(
                        hybrid.get_search_results(
                            query_text=lucene_escape(q), top_k=K, ranker="linear", alpha=alpha
                        ).records,
                        gen,
                    )
                )
            )(a)
            for a in ALPHAS
        },
    }


def run(fns: dict, queries: list[dict], encoder) -> dict:
    """Every system on every query, in a rotating order; the encoder alone is timed in the same
    rotation (the floor every system pays)."""
    fns = {**fns, "encoder_only": lambda q: encoder.encode_queries([q])}
    names = list(fns)
    for q in queries[:5]:  # warm every path (encoder, driver pools, query plans)
        for fn in fns.values():
            fn(q["query"])
    rows: dict[str, list[dict]] = {n: [] for n in names}
    times: dict[str, list[float]] = {n: [] for n in names}
    for i, q in enumerate(queries):
        expected = {f"occ:{c}" for c in q["expected_codes"].split("|")}
        order = names[i % len(names) :] + names[: i % len(names)]  # rotate so drift hits all alike
        for name in order:
            t = time.perf_counter()
            ranked = fns[name](q["query"])
            times[name].append(1000 * (time.perf_counter() - t))
            if name == "encoder_only":
                continue
            rank = next((j for j, o in enumerate(ranked, 1) if o in expected), None)
            rows[name].append(
                {
                    "id": q["id"],
                    "query": q["query"],
                    "kind": q["kind"],
                    "lang": q["lang"],
                    "rank": rank,
                    "top": ranked[:3],
                }
            )
    out = {}
    for name in names:
        ts = sorted(times[name])
        if name == "encoder_only":
            encoder_latency = {
                "latency_p50_ms": round(statistics.median(ts), 2),
                "latency_p95_ms": round(ts[min(len(ts) - 1, int(0.95 * len(ts)))], 2),
            }
            continue
        by_lang, by_kind = defaultdict(list), defaultdict(list)
        for r in rows[name]:
            by_lang[r["lang"]].append(r["rank"])
            by_kind[r["kind"]].append(r["rank"])
        out[name] = {
            **_metrics([r["rank"] for r in rows[name]]),
            "by_lang": {k: _metrics(v) for k, v in sorted(by_lang.items())},
            "by_kind": {k: _metrics(v) for k, v in sorted(by_kind.items())},
            "latency_p50_ms": round(statistics.median(ts), 2),
            "latency_p95_ms": round(ts[min(len(ts) - 1, int(0.95 * len(ts)))], 2),
            "rows": rows[name],
        }
    return out, encoder_latency


def head_to_head(results: dict, peer: str) -> dict:
    better = worse = 0
    for o, p in zip(results["ours"]["rows"], results[peer]["rows"], strict=False):
        ro, rp = o["rank"] or 99, p["rank"] or 99
        better += rp < ro
        worse += rp > ro
    return {"peer_better": better, "peer_worse": worse, "tie": len(results["ours"]["rows"]) - better - worse}


def findings(results: dict, meta: dict) -> list[str]:
    """The reading of the table, computed from it: where ours leads, and every place a peer matches or beats it."""
    ours = results["ours"]
    peers = {n: m for n, m in results.items() if n != "ours"}
    best = max(peers, key=lambda n: peers[n]["MRR"])
    leads = all(ours[m] > max(p[m] for p in peers.values()) for m in ("R@1", "R@5", "MRR"))
    out = [
        f"- Quality: {'ours leads overall' if leads else 'ours does not lead on every overall metric'} — MRR "
        f"{ours['MRR']:.3f} against {peers[best]['MRR']:.3f} for the best peer ({best}), R@1 {ours['R@1']:.3f} against "
        f"{max(m['R@1'] for m in peers.values()):.3f}, R@5 {ours['R@5']:.3f} against "
        f"{max(m['R@5'] for m in peers.values()):.3f} (best peer value each)."
    ]
    cells = []
    for metric in ("R@1", "R@5", "MRR"):
        for n, m in peers.items():
            if m[metric] >= ours[metric]:
                cells.append(f"{n} overall {metric} {m[metric]:.3f} vs {ours[metric]:.3f}")
            for lang, g in m["by_lang"].items():
                if g[metric] >= ours["by_lang"][lang][metric]:
                    cells.append(f"{n} {lang} {metric} {g[metric]:.3f} vs {ours['by_lang'][lang][metric]:.3f}")
            for kind, g in m["by_kind"].items():
                if g[metric] >= ours["by_kind"][kind][metric]:
                    cells.append(
                        f"{n} on {kind} queries {metric} {g[metric]:.3f} vs {ours['by_kind'][kind][metric]:.3f}"
                    )
    out.append(
        "- Where a peer matches or beats ours (by language and query kind too): "
        + ("; ".join(cells) + "." if cells else "nowhere.")
    )
    h = meta["head_to_head"]
    won: dict[str, int] = defaultdict(int)
    by_task = 0
    for i, o in enumerate(ours["rows"]):
        ro = o["rank"] or 99
        if any((m["rows"][i]["rank"] or 99) < ro for m in peers.values()):
            won[o["kind"]] += 1
            by_task += (peers["vc_task"]["rows"][i]["rank"] or 99) < ro
    out.append(
        "- Query by query, each peer still ranks the expected occupation higher than ours on some queries: "
        + ", ".join(f"{n} on {h[n]['peer_better']} (ours higher on {h[n]['peer_worse']})" for n in peers)
        + f". By query kind, the {sum(won.values())} queries where some peer does better: "
        + ", ".join(f"{k} {c}" for k, c in sorted(won.items(), key=lambda kv: -kv[1]))
        + f"; vc_task (a task vector matching the query) is the peer that does better on {by_task} of them."
    )
    fastest = min(peers, key=lambda n: peers[n]["latency_p50_ms"])
    enc = meta["encoder_only"]["latency_p50_ms"]
    faster = all(m["latency_p50_ms"] < ours["latency_p50_ms"] for m in peers.values())
    out.append(
        f"- Latency: {'every peer is faster' if faster else 'not every peer is faster'} at p50. Ours p50 {ours['latency_p50_ms']} ms / p95 {ours['latency_p95_ms']} ms; "
        f"the fastest peer ({fastest}) p50 {peers[fastest]['latency_p50_ms']} ms "
        f"({peers[fastest]['latency_p50_ms'] / ours['latency_p50_ms']:.2f}× ours). With the encoder alone at "
        f"p50 {enc} ms, ours adds {ours['latency_p50_ms'] - enc:.0f} ms over encoding, the peers "
        f"{min(m['latency_p50_ms'] for m in peers.values()) - enc:.0f}–{max(m['latency_p50_ms'] for m in peers.values()) - enc:.0f} ms: "
        "our single Cypher round trip fetches 100 profile-vector and up to 100 BM25 candidates and scores each "
        "one's tasks against the query (evidence and lexical candidates' cosine), where a peer makes one index "
        "call of 10 (or 50 tasks)."
    )
    return out


def report(results: dict, meta: dict) -> str:
    ours = results["ours"]
    lines = [
        "# Our search vs neo4j-graphrag on the same Neo4j",
        "",
        f"One run, {meta['generated_at']}. Set: bench/eval/queries.csv ({ours['n']} queries: "
        f"{ours['by_lang'].get('zh', {}).get('n', 0)} zh, {ours['by_lang'].get('en', {}).get('n', 0)} en); "
        f"generation {meta['generation']}; Neo4j {meta['neo4j_version']} (private server); neo4j-graphrag "
        f"{meta['neo4j_graphrag']}; the same encoder ({meta['model']}) for every system, wrapped in neo4j-graphrag's "
        "`Embedder`. Top 10 per query, so MRR is MRR@10 (a miss beyond 10 counts 0). Latency: warm, per query, "
        "including query encoding, each system timed on every query in a rotating order.",
        "",
        "Systems:",
        "",
        "- **ours** — `Neo4jStore.occupation_ranking(query, k=10)` (`cypher/search.cypher`: profile vectors + BM25 over "
        "jieba tokens + exact-name hit, fused in `graph/query/fusion.py`).",
        "- **vc_occupation** — `VectorCypherRetriever` on `occupation_embedding` (occupation description vectors), "
        "retrieval query returning the occupation.",
        f"- **vc_task** — `VectorCypherRetriever` on `task_embedding` (top {TASK_POOL} tasks), retrieval query "
        "Task<-[:HAS_TASK]-Occupation, max score per occupation, top 10.",
        "- **hybrid** — `HybridRetriever`, `occupation_embedding` + fulltext index `peer_occupation_text` (cjk analyzer "
        "over name_zh, definition, name_en, definition_en), default naive ranker.",
        "- **hybrid_linear_0.5 / _0.6** — the same, linear ranker (alpha = weight of the vector score). At alpha 0.5 "
        "neo4j-graphrag 1.22's linear query joins its vector and fulltext branches with `UNION` (not `UNION ALL`), so "
        "an occupation ranked first by both gets two identical rows (node, 0.5), one is dropped, and the best match "
        "scores 0.5 instead of 1; alpha 0.6 avoids that collision.",
        "",
        "Set-up notes: neo4j-graphrag was installed with `--no-deps` plus `tenacity` (the only dependency the "
        "retrievers import): a full install would downgrade fsspec 2026.9.0 → 2026.7.0 (it pins `<2026.9.0`) and add "
        "pypdf, json-repair and types-PyYAML, which the retrievers do not use. `HybridRetriever` hands the query text "
        "to Lucene unparsed, so Lucene's special characters are escaped first (as any user must). The peers' filter "
        "to the current generation is `node.gen = $gen` in the retrieval query (VectorCypherRetriever) or on the "
        "returned node (HybridRetriever); after a load all nodes are in one generation, so it removes nothing.",
        "",
        "## Findings",
        "",
        *findings(results, meta),
        "",
        "## Figures",
        "",
        "| system | R@1 | R@5 | MRR | zh R@1 | zh R@5 | zh MRR | en R@1 | en R@5 | en MRR | p50 ms | p95 ms | p50 / ours | p95 / ours |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in results.items():
        zh, en = m["by_lang"].get("zh", {}), m["by_lang"].get("en", {})
        lines.append(
            f"| {name} | {m['R@1']:.3f} | {m['R@5']:.3f} | {m['MRR']:.3f} | {zh.get('R@1', 0):.3f} | {zh.get('R@5', 0):.3f} | "
            f"{zh.get('MRR', 0):.3f} | {en.get('R@1', 0):.3f} | {en.get('R@5', 0):.3f} | {en.get('MRR', 0):.3f} | "
            f"{m['latency_p50_ms']} | {m['latency_p95_ms']} | {m['latency_p50_ms'] / ours['latency_p50_ms']:.2f} | "
            f"{m['latency_p95_ms'] / ours['latency_p95_ms']:.2f} |"
        )
    enc = meta["encoder_only"]
    lines += [
        "",
        f"The encoder alone (one query, timed in the same rotation): p50 {enc['latency_p50_ms']} ms, p95 "
        f"{enc['latency_p95_ms']} ms. Over it, at p50: "
        + ", ".join(f"{n} +{m['latency_p50_ms'] - enc['latency_p50_ms']:.1f} ms" for n, m in results.items())
        + ".",
    ]
    kinds = list(ours["by_kind"])
    lines += [
        "",
        "MRR by query kind:",
        "",
        "| kind | n | " + " | ".join(results) + " |",
        "|---|---|" + "---|" * len(results),
    ]
    for kind in kinds:
        lines.append(
            f"| {kind} | {ours['by_kind'][kind]['n']} | "
            + " | ".join(f"{results[s]['by_kind'][kind]['MRR']:.3f}" for s in results)
            + " |"
        )
    lines += [
        "",
        "Per query, the peer's rank of the first expected occupation against ours (a miss counts as worst):",
        "",
        "| peer | peer better | peer worse | tie |",
        "|---|---|---|---|",
    ]
    for name in results:
        if name != "ours":
            h = meta["head_to_head"][name]
            lines.append(f"| {name} | {h['peer_better']} | {h['peer_worse']} | {h['tie']} |")
    peers = [n for n in results if n != "ours"]
    wins = [
        (i, o)
        for i, o in enumerate(ours["rows"])
        if any((results[p]["rows"][i]["rank"] or 99) < (o["rank"] or 99) for p in peers)
    ]
    lines += [
        "",
        f"Queries where some peer ranks the expected occupation higher than ours ({len(wins)}; ranks, "
        "— = not in the top 10):",
        "",
        "| id | kind | lang | query | ours | " + " | ".join(peers) + " |",
        "|---|---|---|---|---|" + "---|" * len(peers),
    ]
    for i, o in wins:
        lines.append(
            f"| {o['id']} | {o['kind']} | {o['lang']} | {o['query']} | {o['rank'] or '—'} | "
            + " | ".join(str(results[p]["rows"][i]["rank"] or "—") for p in peers)
            + " |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    from importlib.metadata import version

    from api.wiring import load_encoder
    from graph.build.generations import current_generation
    from graph.neo4j.load import ensure_loaded
    from graph.neo4j.server import shared_server
    from graph.neo4j.store import Neo4jStore
    from graph.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--state-dir", type=Path, help="default: the configured state dir")
    ap.add_argument("--out", type=Path, default=Path("bench/reports/peer"))
    ap.add_argument("--limit", type=int, default=0, help="first N queries only (smoke test)")
    args = ap.parse_args()
    from bench.private_neo4j import private_settings

    settings = private_settings(Settings(**({"state_dir": args.state_dir} if args.state_dir else {})), "bench")
    encoder = load_encoder(settings)
    generation = current_generation(settings.state_dir)
    queries = load_queries()
    if args.limit:
        queries = queries[: args.limit]
    with shared_server(settings) as conn, conn.driver() as driver:
        ensure_loaded(driver, generation, log=print)
        driver.execute_query(PEER_FULLTEXT)
        driver.execute_query("CALL db.awaitIndexes(300)")
        neo4j_version = driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v").records[
            0
        ]["v"]
        store = Neo4jStore(driver, lambda: encoder, timeout_s=60)
        gen = store.gen
        results, encoder_latency = run(systems(driver, store, encoder, gen), queries, encoder)
    meta = {
        "generated_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "generation": gen,
        "neo4j_version": neo4j_version,
        "neo4j_graphrag": version("neo4j-graphrag"),
        "model": settings.model,
        "k": K,
        "task_pool": TASK_POOL,
        "alphas": list(ALPHAS),
        "encoder_only": encoder_latency,
        "head_to_head": {n: head_to_head(results, n) for n in results if n != "ours"},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(
        json.dumps({"meta": meta, "systems": results}, ensure_ascii=False, indent=1)
    )
    text = report(results, meta)
    args.out.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
