# The compliance service: `docker build -t compliance . && docker run -p 8000:8000 compliance`
# Build stage: the compiled build's wheel (hatch_build.py: the engine's hot modules as C
# extensions, made by mypyc with the C compiler installed here) and its dependencies' wheels;
# runtime stage: slim, non-root, no compiler.
FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md hatch_build.py ./
COPY compliance ./compliance
COPY api ./api
COPY rules ./rules
RUN HATCH_BUILD_HOOKS_ENABLE=1 pip wheel --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    COMPLIANCE_DATA_DIR=/data
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels /wheels/compliance_checker-*.whl \
    && rm -rf /wheels \
    && groupadd --system --gid 10001 compliance \
    && useradd --system --uid 10001 --gid compliance --home-dir /data --create-home compliance
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# packs load in ~20 s on 2 cores: give the first probe time
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
CMD ["compliance", "serve", "--host", "0.0.0.0", "--port", "8000"]
