"""Built graphs as immutable generations; `current` names the one served.

A build writes a complete generation into a temporary directory, verifies it, renames it
into place and only then switches `current` (an atomic rename of a symlink). A build that
fails or is killed midway leaves the previous generation served and intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from graph.errors import GraphNotBuilt, ZhiyeError

CHECKSUMS = "checksums.json"
KEEP = 3


class CorruptGeneration(ZhiyeError):
    """A persisted graph file does not match its checksum."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_generation(state_dir: Path, files: dict[str, bytes]) -> Path:
    """Write files as a new generation, switch `current` to it, and return its path."""
    generations = state_dir / "generations"
    generations.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    gen_id = digest.hexdigest()[:16]
    final = generations / gen_id
    if not (final.is_dir() and _verify(final, raise_=False)):
        tmp = Path(tempfile.mkdtemp(prefix=f".{gen_id}-", dir=generations))
        for name, data in files.items():
            with (tmp / name).open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        sums = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
        (tmp / CHECKSUMS).write_text(json.dumps(sums, indent=1, sort_keys=True))
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    _switch(state_dir, gen_id)
    _prune(generations, keep={gen_id})
    return final


def _switch(state_dir: Path, gen_id: str) -> None:
    link = state_dir / "current"
    tmp = state_dir / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path("generations") / gen_id)
    os.replace(tmp, link)


def restore_current(state_dir: Path, generation: Path | None) -> None:
    """Point `current` back at `generation` (a later step of an addition failed); None: no graph."""
    if generation is None:
        (state_dir / "current").unlink(missing_ok=True)
    else:
        _switch(state_dir, generation.name)


def _prune(generations: Path, keep: set[str]) -> None:
    for stale in generations.glob(".*-*"):  # temporaries of builds that died
        shutil.rmtree(stale, ignore_errors=True)
    done = sorted(
        (p for p in generations.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in done[KEEP:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def current_generation(state_dir: Path, verify: bool = True) -> Path:
    link = state_dir / "current"
    if not link.exists():
        raise GraphNotBuilt(f"no built graph in {state_dir}; run `zhiye build` first")
    path = link.resolve()
    if verify:
        _verify(path)
    return path


def _verify(path: Path, raise_: bool = True) -> bool:
    try:
        sums = json.loads((path / CHECKSUMS).read_text())
        for name, expected in sums.items():
            if file_sha256(path / name) != expected:
                raise CorruptGeneration(f"{path / name} does not match its checksum; rebuild with `zhiye build`")
    except (OSError, ValueError, CorruptGeneration) as exc:
        if raise_:
            raise (
                exc
                if isinstance(exc, CorruptGeneration)
                else CorruptGeneration(f"{path} is incomplete or unreadable ({exc}); rebuild with `zhiye build`")
            ) from None
        return False
    return True
