# Stand-in for docker-compose.yml's Redis image (redis:7.0.15-alpine; build.sh tags it with the name
# compose uses): Debian's Redis 7.0, with /data owned by the official image's redis user (999:1000).
FROM voting-ci/debian-minbase:bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown 999:1000 /data
WORKDIR /data
CMD ["redis-server"]
