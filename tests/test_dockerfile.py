"""The image's recipe, read rather than run (no Docker engine here): a web stage installs the page's
libraries from the lock file, the final stage installs the project as a package with them, runs as
an unprivileged user and checks /ready; docker-compose.yml keeps the state and the caches in volumes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
yaml = pytest.importorskip("yaml")  # PyYAML comes with transformers


@dataclass
class Stage:
    image: str
    name: str | None
    steps: list[tuple[str, str]] = field(default_factory=list)  # (INSTRUCTION, arguments)

    def args(self, instruction: str) -> list[str]:
        return [a for i, a in self.steps if i == instruction]

    def env(self) -> dict[str, str]:
        """ENV k=v pairs (the form the Dockerfile uses)."""
        return dict(pair.split("=", 1) for a in self.args("ENV") for pair in a.split())


def stages(text: str) -> list[Stage]:
    """The Dockerfile's stages, continuation lines joined and comments dropped."""
    logical = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    found: list[Stage] = []
    for line in filter(None, (raw.strip() for raw in logical.splitlines())):
        instruction, _, rest = line.partition(" ")
        instruction, rest = instruction.upper(), " ".join(rest.split())
        if instruction == "FROM":
            m = re.fullmatch(r"(?:--platform=\S+ )?(\S+)(?: AS (\S+))?", rest, re.IGNORECASE)
            found.append(Stage(m.group(1), m.group(2)))
        else:
            found[-1].steps.append((instruction, rest))
    return found


@pytest.fixture(scope="module")
def dockerfile() -> list[Stage]:
    return stages((ROOT / "Dockerfile").read_text(encoding="utf-8"))


def _env_name(setting: str) -> str:
    return f"{Settings.model_config['env_prefix']}{setting}".upper()


def test_a_web_stage_runs_npm_ci_from_the_lock_file(dockerfile):
    web = [s for s in dockerfile if any(re.search(r"\bnpm ci\b", r) for r in s.args("RUN"))]
    assert len(web) == 1 and web[0].name and web[0] is not dockerfile[-1]
    copies = web[0].args("COPY")
    assert any("package-lock.json" in c for c in copies)
    # the lock file is there before npm ci runs
    steps = web[0].steps
    npm = next(i for i, (ins, a) in enumerate(steps) if ins == "RUN" and "npm ci" in a)
    assert any(ins == "COPY" and "package-lock.json" in a for ins, a in steps[:npm])


def test_the_final_stage_installs_the_package_with_the_web_libraries(dockerfile):
    web = next(s for s in dockerfile if any("npm ci" in r for r in s.args("RUN")))
    final = dockerfile[-1]
    from_web = [c for c in final.args("COPY") if c.startswith(f"--from={web.name} ")]
    assert from_web and all("node_modules" in c for c in from_web)
    # into api/web before the install, which then carries them (pyproject.toml's package-data)
    assert any(c.split()[-1].rstrip("/").endswith("api/web/node_modules") for c in from_web)
    installs = [r for r in final.args("RUN") if re.search(r"\bpip install\b", r) and "torch" not in r]
    assert installs and not any(re.search(r"pip install[^&]*\s(-e|--editable)\b", r) for r in installs)
    assert any("download.pytorch.org/whl/cpu" in r for r in final.args("RUN"))  # CPU torch, as before


def test_the_final_stage_runs_unprivileged_and_checks_ready(dockerfile):
    final = dockerfile[-1]
    users = final.args("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")
    # the last switch of user comes before the command it runs
    assert final.steps.index(("USER", users[-1])) < final.steps.index(("CMD", final.args("CMD")[-1]))
    (check,) = final.args("HEALTHCHECK")
    assert re.search(r"(^|\s)CMD\s", check) and "/ready" in check
    assert "urllib" in check  # slim images have no curl
    from api.routes.health import router

    assert "/ready" in {r.path for r in router.routes}  # the readiness endpoint the check asks


def test_compose_keeps_state_and_caches_in_volumes(dockerfile):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    api = compose["services"]["api"]
    env = {**dockerfile[-1].env(), **api.get("environment", {})}
    mounts = {}
    for volume in api["volumes"]:
        source, target, *_ = volume.split(":")
        mounts[target] = source
    for setting in ("state_dir", "cache_dir"):  # the cache dir holds models and embeddings
        path = env[_env_name(setting)]
        assert path in mounts, f"{setting} ({path}) is not a volume"
        assert mounts[path] in compose["volumes"]  # a named volume, declared
    # documents added through /admin/sources/upload are written there: not into the installed package
    sources = Path(env[_env_name("sources_dir")])
    assert any(sources.is_relative_to(t) and mounts[t] in compose["volumes"] for t in mounts)
    # the external CSV only ever arrives mounted read-only, never in the build context
    assert any(v.startswith("./data/external:") and v.endswith(":ro") for v in api["volumes"])
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert "data/external" in ignored
