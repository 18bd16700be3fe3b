"""Property-based fuzzing of the HTTP API from its own OpenAPI spec (schemathesis, in-process ASGI).

Every operation gets generated cases (valid and invalid); none may answer 5xx, and every 4xx
carries the JSON error shape ``{"error": {"code", "message", "suggestions"}}``.
"""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402

EXAMPLES_PER_OPERATION = 90  # 15 operations → ~1,300 cases; bounded below by the deadline


@pytest.fixture(scope="session")
def fuzz_app(fixture_store, tmp_path_factory):
    from api.app import create_app
    from api.deps import get_store
    from graph.settings import Settings

    app = create_app(Settings(state_dir=tmp_path_factory.mktemp("fuzz"), admin_token="fuzz-secret"))
    app.dependency_overrides[get_store] = lambda: fixture_store
    return app


@pytest.fixture(scope="session")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


def check_error_shape(response) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        err = body["error"]
        assert set(err) == {"code", "message", "suggestions"}, err
        assert isinstance(err["code"], str) and err["code"], err
        assert isinstance(err["message"], str) and err["message"], err
        assert isinstance(err["suggestions"], list), err


def test_no_server_errors_and_one_error_shape(api_schema):
    """Every operation in the spec, EXAMPLES_PER_OPERATION generated cases each (schemathesis's pytest
    plugin does not load under pytest 9, so the cases are drawn from each operation's strategy)."""
    from hypothesis import given

    counts: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        counts[label] = 0

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case):
            # admin: never with the real token, so fuzzing cannot change data (401/403 are checked too)
            response = case.call()
            counts[label] += 1
            try:
                check_error_shape(response)
            except AssertionError as exc:
                raise AssertionError(f"{label} {case.path_parameters} {case.query} {str(case.body)[:200]}: {exc}") \
                    from None

        run()
    total = sum(counts.values())
    print(f"fuzz cases: {total} over {len(counts)} operations: {counts}")
    assert len(counts) >= 14, counts
    assert total >= 1000, counts
