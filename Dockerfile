# syntax=docker/dockerfile:1
# The image behind action.yml (`image: docker://ghcr.io/mtf/attest@sha256:…`),
# built and pushed by .github/workflows/publish-image.yml for each release tag.
#
# Base image pinned by digest (the multi-arch index of python:3.12-slim). This
# digest was taken from public references, not pulled here: re-check it with
# `docker buildx imagetools inspect python:3.12-slim` when bumping.
ARG PYTHON_IMAGE=python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea

# --- stage 1: build the project's wheel (hash-locked build backend) ----------
FROM ${PYTHON_IMAGE} AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/build.txt requirements/build.txt
RUN python -m pip install --require-hashes --no-deps --only-binary=:all: -r requirements/build.txt
COPY pyproject.toml README.md LICENSE ./
COPY schemas ./schemas
COPY src ./src
RUN python -m pip wheel --no-deps --no-build-isolation --wheel-dir /wheels .

# --- stage 2: the runtime environment, every dependency by hash --------------
# Binary wheels only: nothing is compiled, so no compiler is ever installed.
FROM ${PYTHON_IMAGE} AS venv
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements/action.txt /tmp/action.txt
RUN python -m venv /opt/mtf \
 && /opt/mtf/bin/python -m pip install --require-hashes --no-deps --only-binary=:all: \
      -r /tmp/action.txt
COPY --from=wheel /wheels /wheels
RUN /opt/mtf/bin/python -m pip install --no-deps --no-index /wheels/*.whl \
 && /opt/mtf/bin/python -m pip check

# --- final image: the interpreter, the venv, an unprivileged user ------------
FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.source="https://github.com/mtf/attest" \
      org.opencontainers.image.description="mtf-attest GitHub Action" \
      org.opencontainers.image.licenses="Apache-2.0"
# git, for pull-request mode: it exports the base commit with `git archive` to
# compare findings (src/mtf_action/action/base_tree.py). Debian's package from the
# digest-pinned base image's release, no recommends: git and its libraries only,
# no compiler. Versions are not pinned because Debian removes superseded
# security builds from its mirrors (a pin would break rebuilds of old tags).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/*
COPY --from=venv /opt/mtf /opt/mtf
ENV PATH="/opt/mtf/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# GitHub documents that container actions run as root because the mounted
# workspace belongs to the runner user. We run as that user's UID instead (1001
# on GitHub-hosted runners), which can write the workspace and the
# GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files without root. See README, "Action".
RUN useradd --uid 1001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin mtf
USER 1001:1001
ENTRYPOINT ["python", "-m", "mtf_action.action"]
