"""bench/load.py's figures: a flooding client's requests are reported apart from the normal clients'."""

from __future__ import annotations

from bench.load import SCENARIOS, client_address, summarise, write_reports


def samples() -> list[tuple[str, float, int | str, str]]:
    normal = [("search", 0.1 * (i % 10 + 1), 200, "normal") for i in range(100)]
    flood = [("profile", 2.0, 200, "flood")] * 5 + [("search", 0.001, 429, "flood")] * 95
    return normal + flood


def test_a_flood_run_reports_the_normal_clients_and_the_flooder_apart(tmp_path):
    result = summarise(samples(), 50, 10.0, "embedded", SCENARIOS["flood"])
    assert (result["requests"], result["errors"], result["normal_clients"]) == (100, 0, 49)
    assert result["p99_ms"] == 1000.0  # the flooder's 2 s requests are not the normal clients' latency
    flood = result["flood"]
    assert (flood["requests"], flood["served"], flood["rate_limited"], flood["other"]) == (100, 5, 95, 0)
    write_reports(result, tmp_path / "load")
    write_reports(summarise(samples()[:100], 50, 10.0, "embedded", SCENARIOS["before"]), tmp_path / "load")
    text = (tmp_path / "load.md").read_text()
    assert "| embedded, flood | 49 + 1 flooding | 10 | 100 |" in text
    assert "| embedded, before | 50 | 10 | 100 |" in text
    assert "| embedded, flood | 200 | 50 | 100 | 5 | 2000.0 | 95 | 1.0 | 0 |" in text


def test_a_run_without_a_flooder_counts_every_client_and_each_has_its_own_address():
    result = summarise(samples()[:100], 50, 10.0, "embedded")
    assert result["scenario"] == "configured" and "flood" not in result
    addresses = {client_address(i) for i in range(1000)}
    assert len(addresses) == 1000 and "127.0.0.1" not in addresses
