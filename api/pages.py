"""The web page: index at /, its own modules at /static, npm libraries at /vendor."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from graph.resources import package_dir

# inside the api package, so a wheel carries it (package-data); a real folder, as StaticFiles serves
# from disk. node_modules/ is there after `npm ci` (.ci/setup.sh, the Dockerfile's web stage).
WEB_DIR = package_dir("api") / "web"
# npm packages exposed to the page, by the folder in node_modules that holds their browser build
VENDOR = {"cytoscape": "cytoscape/dist"}

log = logging.getLogger("zhiye.api")


def mount(app: FastAPI, web_dir: Path = WEB_DIR) -> None:
    index = web_dir / "index.html"

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=web_dir / "static"), name="static")
    for name, folder in VENDOR.items():
        path = web_dir / "node_modules" / folder
        if path.is_dir():
            app.mount(f"/vendor/{name}", StaticFiles(directory=path), name=f"vendor-{name}")
        else:  # the page still works; its graph views say the library is missing
            log.warning("%s not installed: run `npm ci` in %s (done by .ci/setup.sh)", name, web_dir)
