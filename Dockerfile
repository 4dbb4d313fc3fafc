# Rangkul in a container: the package installed as on any server (README, "Running on a
# server"), run as an unprivileged user, its database on the /data volume. docs/deploy.md has
# the whole set-up; tests/unit/test_deploy_files.py keeps these commands the README's.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# What the package is built from, nothing else of the checkout (scripts/check_wheel.sh
# copies the same list); the source is removed once installed.
WORKDIR /tmp/rangkul
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY data ./data
COPY locales ./locales
RUN pip install --no-cache-dir .

# A system user without a login shell owns the data and nothing else.
WORKDIR /data
RUN rm -rf /tmp/rangkul \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin rangkul \
    && chown rangkul:rangkul /data && chmod 700 /data
USER rangkul
ENV DATABASE_PATH=/data/rangkul.sqlite3
VOLUME ["/data"]

# Only used in webhook mode (`rangkul run --webhook URL` with WEBHOOK_LISTEN=0.0.0.0).
EXPOSE 8443

# Alive: the bot's heartbeat (every 30 s from its job queue) is fresh and its database opens.
HEALTHCHECK --interval=60s --timeout=10s --start-period=90s --retries=3 \
    CMD ["rangkul", "health"]

# SIGTERM (docker stop) ends polling, lets running updates finish and closes the database.
STOPSIGNAL SIGTERM
CMD ["rangkul", "run"]
