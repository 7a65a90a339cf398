# Stand-in for eclipse-temurin:25-jdk (no registry here): a Debian root filesystem with this machine's
# Temurin 25 JDK where Temurin images keep theirs.
FROM voting-ci/debian-minbase:bookworm
COPY jdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
