# Stand-in for docker/Dockerfile's JDK_IMAGE (eclipse-temurin:25.0.3_9-jdk-noble; build.sh tags it with
# that name; no registry here): a Debian root filesystem with this machine's Temurin 25 JDK (25.0.3+9)
# where Temurin images keep theirs.
FROM voting-ci/debian-minbase:bookworm
COPY jdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
