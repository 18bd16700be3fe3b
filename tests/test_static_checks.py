"""The static checks are part of the suite, so `make test` and CI fail on them: import-linter's
contracts (dependencies one way: api → graph, api → embeddings; the driver and the web framework on
their side of the line), ruff's lint and format, and mypy on the product's packages. Their settings
are in pyproject.toml; the tools are pinned in the dev extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.parametrize(
    "command",
    [
        ("lint-imports",),
        ("ruff", "check", "--no-cache", "."),
        ("ruff", "format", "--check", "--no-cache", "."),
        ("mypy",),
    ],
    ids=["import-linter", "ruff-lint", "ruff-format", "mypy"],
)
def test_static_check_passes(command):
    result = _run(*command)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"


def test_no_graph_module_imports_embeddings_or_api():
    """The one-way rule, read from the import graph itself (import-linter's engine), as the issue states it."""
    import grimp

    g = grimp.build_graph("graph", "embeddings", "api")
    offenders = [
        (m, imported)
        for m in g.find_descendants("graph") | {"graph"}
        for imported in g.find_modules_directly_imported_by(m)
        if imported.split(".")[0] in {"embeddings", "api"}
    ]
    assert not offenders, offenders
