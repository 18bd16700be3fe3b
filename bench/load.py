"""A bounded load test on loopback: N concurrent clients for D seconds against `uvicorn` serving the app.

    python -m bench.load [--clients 50] [--duration 60] [--backend embedded|neo4j] [--url URL]
                         [--scenarios before,threads,batching,configured,flood-unlimited,flood]

Starts `uvicorn api.app:create_app --factory` on a free loopback port (unless --url names a running
server), waits until /ready answers, then runs a mixed workload (search, profile, similar,
title-directions, batches) from asyncio clients, each sending its next request when the previous one
answers. Each client connects from its own loopback address (127.0.x.y), as users come from their own:
the server's per-client rate limit (api/rate_limit.py) counts each apart. Against a --url elsewhere
they share this machine's address, and the limit counts them as one client.

--scenarios runs several servers one after another in one invocation, so that their figures compare
(SCENARIOS): `before`, the server before issue 18 (40 threads; query batching, the query cache and the
rate limit off); `threads`, with the configured request threads; `batching`, with query batching too;
the server as configured (the query cache and the rate limit too); and with one flooding client
among clients-1 normal ones (FLOOD_RATE requests a second, up to FLOOD_CONNECTIONS in flight, never
backing off), with and without the rate limit, reporting the normal clients' latencies.

Writes bench/reports/load.json (one entry per backend and scenario, kept across runs) and load.md.
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

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
#: the flooding client asks this many times a second whatever the answers (about twice what the whole
#: server served 50 clients before issue 18), with up to this many requests in flight
FLOOD_RATE = 200.0
FLOOD_CONNECTIONS = 50


@dataclass(frozen=True)
class Scenario:
    """A server configured by environment variables (ZHIYE_ settings), loaded with or without a flooder."""

    name: str
    says: str
    env: dict[str, str] = field(default_factory=dict)
    flood: bool = False


OFF = {"ZHIYE_QUERY_BATCH_WINDOW_MS": "0", "ZHIYE_QUERY_CACHE_SIZE": "0", "ZHIYE_RATE_LIMIT": ""}
SCENARIOS = {
    s.name: s
    for s in (
        Scenario("configured", "the server as configured"),
        Scenario(
            "before",
            "as before issue 18: 40 threads, no query batching or cache, no rate limit",
            {**OFF, "ZHIYE_REQUEST_THREADS": "40"},
        ),
        Scenario("threads", "the configured threads; no query batching or cache, no rate limit", OFF),
        Scenario(
            "batching",
            "the configured threads and query batching; no query cache, no rate limit",
            {"ZHIYE_QUERY_CACHE_SIZE": "0", "ZHIYE_RATE_LIMIT": ""},
        ),
        Scenario("flood-unlimited", "one flooding client, rate limit off", {"ZHIYE_RATE_LIMIT": ""}, flood=True),
        Scenario("flood", "one flooding client, as configured", flood=True),
    )
}


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


def client_address(i: int) -> str:
    """Client i's own loopback address (not 127.0.0.1, which the warm-up and the probes use)."""
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


FLOOD_ADDRESS = "127.1.0.1"


def _http(url: str, address: str, connections: int) -> httpx.AsyncClient:
    loopback = urlsplit(url).hostname in ("127.0.0.1", "localhost")
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    transport = httpx.AsyncHTTPTransport(local_address=address if loopback else None, limits=limits)
    return httpx.AsyncClient(base_url=url, timeout=60, transport=transport)


async def run_clients(
    url: str,
    clients: int,
    duration_s: float,
    items: list[tuple[str, str]],
    seed: int = 0,
    flood_rate: float = 0.0,
    flood_connections: int = FLOOD_CONNECTIONS,
):
    """(kind, seconds, status or exception name, role) per request; role "normal", or "flood" for the
    flooding client when flood_rate > 0 (then clients - 1 normal ones beside it)."""
    samples: list[tuple[str, float, int | str, str]] = []
    stop_at = time.monotonic() + duration_s

    async def ask(http: httpx.AsyncClient, kind: str, path: str, role: str) -> None:
        t0 = time.perf_counter()
        try:
            r = await http.get(path)
            outcome: int | str = r.status_code
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        samples.append((kind, time.perf_counter() - t0, outcome, role))

    async def client(i: int) -> None:
        rnd = random.Random(seed * 1000 + i)
        async with _http(url, client_address(i), 1) as http:
            while time.monotonic() < stop_at:
                await ask(http, *rnd.choice(items), "normal")

    async def flooder() -> None:
        # open loop: the next request leaves on schedule, not when an answer (or a 429) comes back
        rnd = random.Random(seed * 1000 - 1)
        in_flight = asyncio.Semaphore(flood_connections)
        tasks: set[asyncio.Task] = set()

        def finished(task: asyncio.Task) -> None:
            in_flight.release()
            tasks.discard(task)

        async with _http(url, FLOOD_ADDRESS, flood_connections) as http:
            next_at = time.monotonic()
            while time.monotonic() < stop_at:
                await in_flight.acquire()
                task = asyncio.create_task(ask(http, *rnd.choice(items), "flood"))
                task.add_done_callback(finished)
                tasks.add(task)
                next_at += 1 / flood_rate
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            await asyncio.gather(*tasks)

    normal = clients - 1 if flood_rate > 0 else clients
    await asyncio.gather(*(client(i) for i in range(normal)), *([flooder()] if flood_rate > 0 else []))
    return samples


def _figures(samples, duration_s: float) -> dict:
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
    }


def summarise(samples, clients: int, duration_s: float, backend: str, scenario: Scenario | None = None) -> dict:
    """The normal clients' figures (all clients' when none floods); a flooder's apart, under "flood"."""
    scenario = scenario or SCENARIOS["configured"]
    normal = [s for s in samples if s[3] == "normal"]
    out = {
        "backend": backend,
        "scenario": scenario.name,
        "says": scenario.says,
        "clients": clients,
        **_figures(normal, duration_s),
        "duration_s": duration_s,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if scenario.flood:
        flood = [s for s in samples if s[3] == "flood"]
        out["normal_clients"] = clients - 1
        out["flood"] = {
            "rate_asked": FLOOD_RATE,
            "connections": FLOOD_CONNECTIONS,
            "requests": len(flood),
            "served": sum(1 for s in flood if s[2] == 200),
            "rate_limited": sum(1 for s in flood if s[2] == 429),
            "other": sum(1 for s in flood if s[2] not in (200, 429)),
            "served_p50_ms": round(percentile([s[1] * 1000 for s in flood if s[2] == 200], 50), 1),
            "refused_p50_ms": round(percentile([s[1] * 1000 for s in flood if s[2] == 429], 50), 1),
        }
    return out


def report_key(result: dict) -> str:
    scenario = result.get("scenario", "configured")
    return result["backend"] if scenario == "configured" else f"{result['backend']}, {scenario}"


def write_reports(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    path_json = out.with_suffix(".json")
    runs = json.loads(path_json.read_text()) if path_json.is_file() else {}
    runs[report_key(result)] = result
    path_json.write_text(json.dumps(runs, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    lines = [
        "# Load test",
        "",
        "`python -m bench.load`: concurrent clients on loopback, each from its own address and sending its next",
        "request when the previous one answers, against `uvicorn` (one process) serving the app; a mixed",
        "workload of search, profile, similar occupations, title directions and batches. Latency is per",
        "request, as the client sees it. Runs named after a scenario (`--scenarios`) ran one after another in",
        "one invocation: `before` is the server before issue 18 (40 request threads; query batching, the query",
        "cache and the rate limit off), `threads` adds the configured request threads, `batching` query",
        "batching, and the server as configured the query cache and the rate limit; in `flood` runs one client",
        "of the N asks 200 times a second whatever the answers (up to 50 in flight), and the figures are the",
        "other N-1 clients' (the flooder's in the table after).",
        "",
        "| run | clients | seconds | requests | req/s | errors | p50 ms | p90 ms | p99 ms | max ms | server CPU ms/req |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, r in runs.items():
        clients = f"{r['normal_clients']} + 1 flooding" if "flood" in r else r["clients"]
        lines.append(
            f"| {key} | {clients} | {r['duration_s']:g} | {r['requests']} | {r['throughput_rps']} | "
            f"{r['errors']} | {r['p50_ms']} | {r['p90_ms']} | {r['p99_ms']} | {r['max_ms']} | "
            f"{r.get('server_cpu_ms_per_request', '')} |"
        )
    floods = {key: r["flood"] for key, r in runs.items() if "flood" in r}
    if floods:
        lines += [
            "",
            "The flooding client:",
            "",
            "| run | asked req/s | in flight | requests | served | served p50 ms | 429 | 429 p50 ms | other |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {key} | {f['rate_asked']:g} | {f['connections']} | {f['requests']} | {f['served']} | "
            f"{f['served_p50_ms']} | {f['rate_limited']} | {f.get('refused_p50_ms', '')} | {f['other']} |"
            for key, f in floods.items()
        ]
    for key, r in runs.items():
        lines += [
            "",
            f"## {key} by request kind ({r['when']}, {r['machine']}"
            + (f", 1-min load average {r['load_average'][0]} → {r['load_average'][1]}" if "load_average" in r else "")
            + ")",
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


def _cpu_s(proc: subprocess.Popen | None) -> float:
    """User + system CPU seconds of the server process (all its threads) so far; 0 without one."""
    if proc is None:
        return 0.0
    import psutil

    times = psutil.Process(proc.pid).cpu_times()
    return times.user + times.system


def run_load(
    backend: str,
    clients: int,
    duration_s: float,
    url: str | None = None,
    env: dict[str, str] | None = None,
    scenario: Scenario | None = None,
) -> dict:
    """Serve the app with `backend` (unless `url` names a running server) as `scenario` configures it,
    load it, summarise."""
    scenario = scenario or SCENARIOS["configured"]
    load_before = os.getloadavg()[0]  # the machine may be shared: what else ran is part of the figures
    proc = None
    if url is None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_server(backend, port, {**(env or {}), **scenario.env})
    try:
        wait_ready(url, proc)
        items = workload(url)
        for _kind, path in items[:: max(1, len(items) // 10)]:  # warm caches and lazily built indexes
            httpx.get(url + path, timeout=120)
        flood_rate = FLOOD_RATE if scenario.flood else 0.0
        cpu_before = _cpu_s(proc)
        samples = asyncio.run(run_clients(url, clients, duration_s, items, flood_rate=flood_rate))
        cpu_s = _cpu_s(proc) - cpu_before if proc is not None else None
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    result = summarise(samples, clients, duration_s, backend, scenario)
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    if cpu_s is not None:
        # the server's own CPU time per request answered (refusals included): the work a request costs,
        # which other processes on a shared machine change far less than they change latency
        result["server_cpu_s"] = round(cpu_s, 1)
        result["server_cpu_ms_per_request"] = round(1000 * cpu_s / max(1, len(samples)), 2)
    return result


def _on_bench_server(clients: int, duration_s: float, scenarios: list[Scenario]) -> list[dict]:
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
        return [run_load("neo4j", clients, duration_s, env=env, scenario=s) for s in scenarios]


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    ap.add_argument("--url", help="a running server instead of starting one (its configuration: one scenario)")
    ap.add_argument(
        "--scenarios", default="configured", help=f"comma-separated, run in this order: {', '.join(SCENARIOS)}"
    )
    ap.add_argument("--out", type=Path, default=REPORTS / "load", help="report path without suffix; '-' for none")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown or not names:
        ap.error(f"unknown scenarios {unknown}; choose from {', '.join(SCENARIOS)}")
    scenarios = [SCENARIOS[n] for n in names]
    if args.backend == "neo4j" and args.url is None and not os.environ.get("NEO4J_URI"):
        results = _on_bench_server(args.clients, args.duration, scenarios)
    else:
        results = [run_load(args.backend, args.clients, args.duration, args.url, scenario=s) for s in scenarios]
    for result in results:
        if str(args.out) != "-":
            write_reports(result, args.out)
        print(json.dumps({k: v for k, v in result.items() if k != "by_kind"}, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
