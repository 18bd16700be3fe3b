"""Where the files the code reads live, in a checkout and in an installed wheel.

The repository keeps cypher/ and data/ at its top, beside the packages rather than inside them (the
design card fixes that layout). pyproject.toml maps them onto the resource package ``zhiye_resources``
(``package-dir``), so a wheel carries them as ``zhiye_resources/cypher`` and ``zhiye_resources/data``,
and an editable install's finder points the same names at the checkout's folders.

A checkout is asked first: an editable finder can point at another clone sharing the virtual
environment, and the files must come from the same tree as the code that reads them (the Cypher a
module runs, the calibration a model was fitted with). Installed, the package's files are used.
"""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

RESOURCE_PACKAGE = "zhiye_resources"
# the folder holding graph/, api/, embeddings/: a checkout when pyproject.toml is there, else
# site-packages (or a --target directory), where nothing beside the packages is ours
CHECKOUT = Path(__file__).resolve().parent.parent


def in_checkout() -> bool:
    """Whether the code runs from a source tree (an editable install or the tree on sys.path)."""
    return (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "cypher").is_dir()


def resource_dir(name: str) -> Path:
    """The folder of a top-level resource ("cypher", "data") as a path on disk.

    Settings and StaticFiles need real paths, and a wheel is installed unzipped, so the installed
    package's folder is returned rather than a Traversable. Found nowhere, the checkout's path is
    returned anyway so that the error names the file it missed, not this lookup."""
    checkout = CHECKOUT / name
    if in_checkout():
        return checkout
    return _installed_dir(f"{RESOURCE_PACKAGE}.{name}") or checkout


def package_dir(package: str) -> Path:
    """A regular package's own folder (api for api/web), through importlib.resources."""
    return Path(str(resources.files(package)))


def _installed_dir(package: str) -> Path | None:
    """The folder of a resource package. Its folders have no __init__.py (they are cypher/ and
    data/ in the repository), so it is a namespace package, whose files() is a MultiplexedPath in
    3.11 rather than a Path: its search locations give the folder."""
    try:
        spec = importlib.util.find_spec(package)
    except ModuleNotFoundError:  # the parent is missing too
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():  # an editable finder adds a placeholder entry
            return Path(location)
    return None
