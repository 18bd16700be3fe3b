"""A bounded load test on loopback: N concurrent clients for D seconds against `uvicorn` serving the app.

    python -m bench.load [--clients 50] [--duration 60] [--backend embedded|neo4j] [--url URL]

Starts `uvicorn api.app:create_app --factory` on a free loopback port (unless --url names a running
server), waits until /ready answers, then runs a mixed workload (search, profile, similar,
title-directions, batches) from asyncio clients, each sending its next request when the previous one
answers. Writes bench/reports/load.json (one entry per backend, kept across runs) and load.md.
The graph must be built (ZHIYE_STATE_DIR); with --backend neo4j and no NEO4J_URI the benches' own
server (<cache_dir>/bench) serves it, loaded first when it holds another generation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from graph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "bench" / "reports"
SEARCHES = [
    "信息安全",
    "渗透测试 漏洞",
    "区块链",
    "数据分析",
    "人工智能 训练",
    "network security",
    "software testing",
    "养老护理",
    "直播销售",
    "无人机 驾驶",
    "电子竞技",
    "工业机器人 运维",
    "碳排放管理",
    "健康照护",
    "database administrator",
]
FALLBACK_NAMES = ["信息安全测试员", "网络与信息安全管理员", "区块链工程技术人员", "人工智能工程技术人员"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def start_server(backend: str, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**os.environ, **(env or {}), "ZHIYE_BACKEND": backend, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--timeout-keep-alive",
            str(int(Settings().keep_alive_s)),
        ],
        cwd=ROOT,
        env=env,
    )


def wait_ready(url: str, proc: subprocess.Popen | None, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            r = httpx.get(f"{url}/ready", timeout=30)
            if r.status_code == 200:
                return
            last = r.text[:300]
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise SystemExit(f"{url}/ready did not answer 200 within {timeout_s:.0f} s: {last}")


def workload(url: str) -> list[tuple[str, str]]:
    """(kind, path) pairs; occupation names come from the served graph's batches."""
    names = []
    try:
        for b in httpx.get(f"{url}/batches", timeout=60).json()["batches"]:
            names += [o["name_zh"] for o in b["occupations"] if o.get("name_zh")]
    except (httpx.HTTPError, KeyError, ValueError):
        pass
    names = sorted(set(names))[:40] or FALLBACK_NAMES
    items = [("search", f"/search?q={quote(q)}&k=10") for q in SEARCHES]
    for n in names:
        q = quote(n, safe="")
        items += [
            ("profile", f"/occupations/{q}"),
            ("similar", f"/occupations/{q}/similar?k=10"),
            ("title-directions", f"/occupations/{q}/title-directions"),
        ]
    items += [("batches", "/batches")] * 3
    return items


async def run_clients(url: str, clients: int, duration_s: float, items: list[tuple[str, str]], seed: int = 0):
    samples: list[tuple[str, float, int | str]] = []  # (kind, seconds, status or exception name)
    stop_at = time.monotonic() + duration_s
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        async def client(i: int) -> None:
            rnd = random.Random(seed * 1000 + i)
            while time.monotonic() < stop_at:
                kind, path = rnd.choice(items)
                t0 = time.perf_counter()
                try:
                    r = await http.get(path)
                    outcome: int | str = r.status_code
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                samples.append((kind, time.perf_counter() - t0, outcome))

        await asyncio.gather(*(client(i) for i in range(clients)))
    return samples


def summarise(samples, clients: int, duration_s: float, backend: str) -> dict:
    ok = [s for s in samples if s[2] == 200]
    errors = [s for s in samples if s[2] != 200]
    lat = [s[1] * 1000 for s in samples]
    by_kind = {}
    for kind in sorted({s[0] for s in samples}):
        ks = [s[1] * 1000 for s in samples if s[0] == kind]
        by_kind[kind] = {
            "requests": len(ks),
            "errors": sum(1 for s in samples if s[0] == kind and s[2] != 200),
            "p50_ms": round(percentile(ks, 50), 1),
            "p99_ms": round(percentile(ks, 99), 1),
        }
    outcomes: dict[str, int] = {}
    for s in errors:
        outcomes[str(s[2])] = outcomes.get(str(s[2]), 0) + 1
    return {
        "backend": backend,
        "clients": clients,
        "duration_s": duration_s,
        "requests": len(samples),
        "ok": len(ok),
        "errors": len(errors),
        "error_outcomes": outcomes,
        "throughput_rps": round(len(samples) / duration_s, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p90_ms": round(percentile(lat, 90), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "max_ms": round(max(lat), 1) if lat else None,
        "by_kind": by_kind,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_reports(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    path_json = out.with_suffix(".json")
    runs = json.loads(path_json.read_text()) if path_json.is_file() else {}
    runs[result["backend"]] = result
    path_json.write_text(json.dumps(runs, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    lines = [
        "# Load test",
        "",
        "`python -m bench.load`: concurrent clients on loopback, each sending its next request when the previous",
        "one answers, against `uvicorn` (one process) serving the app; a mixed workload of search, profile,",
        "similar occupations, title directions and batches. Latency is per request, as the client sees it.",
        "",
        "| backend | clients | seconds | requests | req/s | errors | p50 ms | p90 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs.values():
        lines.append(
            f"| {r['backend']} | {r['clients']} | {r['duration_s']:g} | {r['requests']} | {r['throughput_rps']} | "
            f"{r['errors']} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} |"
        )
    for r in runs.values():
        lines += [
            "",
            f"## {r['backend']} by request kind ({r['when']}, {r['machine']})",
            "",
            "| kind | requests | errors | p50 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {k} | {v['requests']} | {v['errors']} | {v['p50_ms']} | {v['p99_ms']} |"
            for k, v in r["by_kind"].items()
        ]
        if r["error_outcomes"]:
            lines.append(f"\nErrors: {r['error_outcomes']}")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")


def run_load(
    backend: str, clients: int, duration_s: float, url: str | None = None, env: dict[str, str] | None = None
) -> dict:
    """Serve the app with `backend` (unless `url` names a running server), load it, summarise."""
    proc = None
    if url is None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_server(backend, port, env)
    try:
        wait_ready(url, proc)
        items = workload(url)
        for _kind, path in items[:: max(1, len(items) // 10)]:  # warm caches and lazily built indexes
            httpx.get(url + path, timeout=120)
        samples = asyncio.run(run_clients(url, clients, duration_s, items))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return summarise(samples, clients, duration_s, backend)


def _on_bench_server(clients: int, duration_s: float) -> dict:
    from bench.private_neo4j import private_settings
    from graph.build.generations import current_generation
    from graph.neo4j.load import ensure_loaded
    from graph.neo4j.server import shared_server

    settings = Settings()
    with shared_server(private_settings(settings, "bench")) as conn:
        with conn.driver() as driver:
            ensure_loaded(driver, current_generation(settings.state_dir), log=lambda m: None)
        env = {"NEO4J_URI": conn.uri, "NEO4J_USER": conn.user}
        if conn.password is not None:
            env["NEO4J_PASSWORD"] = conn.password
        return run_load("neo4j", clients, duration_s, env=env)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    ap.add_argument("--url", help="a running server instead of starting one")
    ap.add_argument("--out", type=Path, default=REPORTS / "load", help="report path without suffix; '-' for none")
    args = ap.parse_args(argv)
    if args.backend == "neo4j" and args.url is None and not os.environ.get("NEO4J_URI"):
        result = _on_bench_server(args.clients, args.duration)
    else:
        result = run_load(args.backend, args.clients, args.duration, args.url)
    if str(args.out) != "-":
        write_reports(result, args.out)
    print(json.dumps({k: v for k, v in result.items() if k != "by_kind"}, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
