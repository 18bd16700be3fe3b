"""The web page: index at /, its own modules at /static, npm libraries at /vendor; the API docs
(/docs, /redoc) drawn with the same local libraries, so they render offline as the page does."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from graph.resources import package_dir

# inside the api package, so a wheel carries it (package-data); a real folder, as StaticFiles serves
# from disk. node_modules/ is there after `npm ci` (.ci/setup.sh, the Dockerfile's web stage).
WEB_DIR = package_dir("api") / "web"
# npm packages exposed to the page, by the folder in node_modules that holds their browser build
VENDOR = {"cytoscape": "cytoscape/dist", "swagger-ui": "swagger-ui-dist", "redoc": "redoc/bundles"}
FAVICON = "/static/favicon.svg"
# FastAPI's own defaults, for a checkout where `npm ci` has not run
SWAGGER_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
REDOC_CDN = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"

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
    mount_docs(app, web_dir)


def mount_docs(app: FastAPI, web_dir: Path = WEB_DIR) -> None:
    """Swagger UI at /docs and ReDoc at /redoc from /vendor (FastAPI's defaults fetch them, a favicon and
    Google fonts from CDNs: blank pages offline). The app is made with docs_url=redoc_url=None. Without
    `npm ci` the CDN defaults are kept, with a warning, so the docs still work online."""
    openapi_url = app.openapi_url or "/openapi.json"
    title = app.title
    local = (web_dir / "node_modules" / VENDOR["swagger-ui"]).is_dir()
    redoc_local = (web_dir / "node_modules" / VENDOR["redoc"]).is_dir()
    if not (local and redoc_local):
        log.warning("swagger-ui-dist / redoc not installed: /docs and /redoc load them from a CDN")
    swagger_js, swagger_css = (
        ("/vendor/swagger-ui/swagger-ui-bundle.js", "/vendor/swagger-ui/swagger-ui.css")
        if local
        else (f"{SWAGGER_CDN}/swagger-ui-bundle.js", f"{SWAGGER_CDN}/swagger-ui.css")
    )
    redoc_js = "/vendor/redoc/redoc.standalone.js" if redoc_local else REDOC_CDN
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} — Swagger UI",
            swagger_favicon_url=FAVICON,
            oauth2_redirect_url=oauth2_redirect,
            swagger_js_url=swagger_js,
            swagger_css_url=swagger_css,
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} — ReDoc",
            redoc_favicon_url=FAVICON,
            with_google_fonts=False,
            redoc_js_url=redoc_js,
        )
