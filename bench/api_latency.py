"""The HTTP API end to end (uvicorn on loopback, one keep-alive client) against the direct store
call for the same queries, in one run: what routing, validation and JSON cost.

    python -m bench.api_latency [--repeat 30]
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from bench.latency import OCCUPATIONS, QUERIES, measure
from bench.reporting import write_report

REPORTS = Path(__file__).resolve().parents[1] / "bench" / "reports"


def pairs(store) -> dict[str, tuple[Callable[[int], object], Callable[[int], str]]]:
    """query type → (direct store call, API path), both for the i-th input."""
    occ = lambda i: OCCUPATIONS[i % len(OCCUPATIONS)]  # noqa: E731
    q = lambda i: QUERIES[i % len(QUERIES)]  # noqa: E731
    return {
        "search": (lambda i: store.search(q(i), None, 10), lambda i: f"/search?q={quote(q(i))}&k=10"),
        "search_occupations": (
            lambda i: store.search(q(i), ["Occupation"], 10),
            lambda i: f"/search?q={quote(q(i))}&labels=Occupation&k=10",
        ),
        "profile": (lambda i: store.profile(occ(i)), lambda i: f"/occupations/{quote(occ(i), safe='')}"),
        "title_directions": (
            lambda i: store.title_directions(occ(i)),
            lambda i: f"/occupations/{quote(occ(i), safe='')}/title-directions",
        ),
        "similar_occupations": (
            lambda i: store.similar_occupations(occ(i), 10),
            lambda i: f"/occupations/{quote(occ(i), safe='')}/similar?k=10",
        ),
        "career_paths": (
            lambda i: store.career_paths(occ(i), None, 5),
            lambda i: f"/occupations/{quote(occ(i), safe='')}/career-paths?k=5",
        ),
        "batches": (lambda i: store.batches(), lambda i: "/batches"),
    }


def serve(app):
    """uvicorn in a thread on a free loopback port; returns (url, stop)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return f"http://127.0.0.1:{port}", stop


def run(store, settings, repeat: int) -> dict:
    import httpx

    from api.app import create_app
    from api.deps import get_store

    # one client asking as fast as it can is what the rate limit refuses: the latency measured is the API's
    app = create_app(settings.model_copy(update={"rate_limit": ""}))
    app.dependency_overrides[get_store] = lambda: store
    url, stop = serve(app)
    out = {}
    try:
        with httpx.Client(base_url=url, timeout=60) as http:

            def get(path: str) -> None:
                r = http.get(path)
                r.raise_for_status()

            for case, (direct, path) in pairs(store).items():
                out[case] = {"direct": measure(direct, repeat), "api": measure(lambda i, p=path: get(p(i)), repeat)}
                out[case]["overhead_ms"] = round(out[case]["api"]["p50_ms"] - out[case]["direct"]["p50_ms"], 2)
    finally:
        stop()
    return out


def report(result: dict) -> str:
    lines = ["| query | store p50 ms | API p50 ms | API p95 ms | API − store (p50) |", "|---|---:|---:|---:|---:|"]
    for case, r in result.items():
        lines.append(
            f"| {case} | {r['direct']['p50_ms']} | {r['api']['p50_ms']} | {r['api']['p95_ms']} | {r['overhead_ms']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    from api.wiring import load_encoder
    from graph.build.generations import current_generation
    from graph.embedded.store import EmbeddedStore
    from graph.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--out", type=Path, default=REPORTS / "api_latency")
    args = ap.parse_args(argv)
    settings = Settings()
    encoder = load_encoder(settings)
    store = EmbeddedStore(current_generation(settings.state_dir), lambda: encoder)
    result = run(store, settings, args.repeat)
    write_report(args.out, result, "API end to end against the direct store call (embedded, warm)", report(result))
    return result


if __name__ == "__main__":
    main()
