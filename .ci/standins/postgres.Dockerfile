# Stand-in for docker-compose.yml's PostgreSQL image, also the backup image's base (postgres:15.20-alpine;
# build.sh tags it with the name they use): Debian's PostgreSQL 15 with the official image's
# postgres user (70:70), data directory, environment variables (POSTGRES_USER, POSTGRES_PASSWORD_FILE, POSTGRES_DB) and
# first-init scripts from /docker-entrypoint-initdb.d (see postgres-entrypoint.sh).
FROM voting-ci/debian-minbase:bookworm
RUN groupadd -g 70 postgres && useradd -u 70 -g 70 -d /var/lib/postgresql -s /bin/sh postgres \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R 70:70 /var/lib/postgresql /var/run/postgresql && chmod 2777 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
