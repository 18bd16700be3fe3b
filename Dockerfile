# The API image for docker-compose.yml. Editable install so graph/ finds cypher/ and data/ beside it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    ZHIYE_CACHE_DIR=/opt/zhiye-cache

WORKDIR /app

# CPU-only torch first: the PyPI wheel would pull several GB of CUDA libraries the API never uses
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.15.0

COPY pyproject.toml ./
COPY api ./api
COPY embeddings ./embeddings
COPY graph ./graph
COPY cypher ./cypher
COPY data ./data
RUN pip install -e . \
    && zhiye model provision

EXPOSE 8000
CMD ["zhiye", "serve", "--host", "0.0.0.0", "--port", "8000"]
