# The dashboard's image: one image for the app servers and the worker (compose.yaml).
#
# Base image pinned by exact tag and by digest (the tag's multi-platform index), so a
# rebuild gets the same Python and Debian until someone changes this line on purpose.
# To move to a newer build: docker buildx imagetools inspect python:3.11.13-slim-bookworm
# and put the digest it prints here.
FROM python:3.11.13-slim-bookworm@sha256:86adf8dbadc3d6e82ee5dd2c74bec2e1c2467cdad47886280501df722372d2e1

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The PDF report prints any script with DejaVu Sans (Latin-1 only without it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app runs as this unprivileged user; the code below stays owned by root, so the
# running app cannot change it. Only /data (the store volume) is writable.
RUN groupadd --system --gid 10001 campaign \
    && useradd --system --uid 10001 --gid campaign --create-home --home-dir /home/campaign \
       --shell /usr/sbin/nologin campaign

WORKDIR /app
# The exact versions requirements.txt pins, before the code: a code change reuses this layer.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY app.py ./
COPY .streamlit/config.toml .streamlit/config.toml
COPY campaign_core campaign_core/
COPY ui ui/
COPY pages pages/
RUN mkdir -p /data && chown campaign:campaign /data

# The store and the inbox live on the /data volume. CAMPAIGN_EXPOSED: nothing is served
# before sign-in ([passwords] or [auth] in the mounted secrets.toml; see SECURITY.md), and
# the app refuses to serve at all when no usable sign-in is configured.
ENV CAMPAIGN_DB=/data/campaign.db \
    CAMPAIGN_INBOX=/data/inbox \
    CAMPAIGN_EXPOSED=1

USER campaign:campaign
EXPOSE 8501

# Streamlit's own health endpoint (answers "ok" once the server is up). The worker
# (compose.yaml) runs the same image with another command and turns this check off.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

# Listening on every interface of the container (the proxy reaches it on the compose
# network; no port is published to the host).
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", \
     "--server.headless=true"]
