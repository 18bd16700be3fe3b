# The API image for docker-compose.yml: the project installed as a package, not editable (the wheel
# carries cypher/, data/ and the web page: graph/resources.py), run by an unprivileged user.

# --- web: the page's browser libraries (cytoscape; Swagger UI and ReDoc for the API docs), exactly as
# api/web/package-lock.json pins them; not the test-only axe-core (a devDependency)
FROM node:22-bookworm-slim AS web
WORKDIR /web
COPY api/web/package.json api/web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- app: Python, the project and the encoder model
FROM python:3.11-slim AS app

# the state dir (built graphs) and the cache dir (models, embeddings) are volumes in docker-compose.yml;
# the source documents live in the state volume too, as /admin/sources/upload adds to them (the
# installed package's copy is read-only to the service's user and lost with the container)
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    ZHIYE_STATE_DIR=/var/lib/zhiye \
    ZHIYE_SOURCES_DIR=/var/lib/zhiye/sources \
    ZHIYE_CACHE_DIR=/opt/zhiye-cache

# CPU-only torch first: the PyPI wheel would pull several GB of CUDA libraries the API never uses
# (torch==2.15.0 in pyproject.toml is then already satisfied by 2.15.0+cpu)
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.15.0

# the source only for the install (no WORKDIR there: later steps must not import the tree it leaves)
COPY pyproject.toml /tmp/zhiye-src/
COPY api /tmp/zhiye-src/api
COPY embeddings /tmp/zhiye-src/embeddings
COPY graph /tmp/zhiye-src/graph
COPY cypher /tmp/zhiye-src/cypher
COPY data /tmp/zhiye-src/data
# into api/web before the install, so the package carries the browser build pages.py serves at /vendor
COPY --from=web /web/node_modules /tmp/zhiye-src/api/web/node_modules
RUN pip install /tmp/zhiye-src \
    && rm -rf /tmp/zhiye-src

# a fixed uid so that volumes keep one owner across rebuilds; the bundled sources seed the state dir
# (a new named volume starts from this copy, an existing one keeps the documents it has)
RUN useradd --system --uid 10001 --create-home --home-dir /home/zhiye zhiye \
    && mkdir -p "$ZHIYE_STATE_DIR" "$ZHIYE_CACHE_DIR" \
    && cp -r "$(python -c 'from graph.settings import DATA_DIR; print(DATA_DIR / "sources")')" "$ZHIYE_SOURCES_DIR" \
    && chown -R zhiye:zhiye "$ZHIYE_STATE_DIR" "$ZHIYE_CACHE_DIR"
USER zhiye
WORKDIR /home/zhiye

# the model is built (and adapted to the title pairs) into the cache once, at image build; a new
# named volume on the cache dir starts from this copy
RUN zhiye model provision

EXPOSE 8000
# ready when the store answers a query (GET /ready: 503 before `zhiye build` or while Neo4j is down);
# slim images have no curl, so Python's urllib (a 503 raises, and the check fails)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=4)"]
CMD ["zhiye", "serve", "--host", "0.0.0.0", "--port", "8000"]
