# The Kopia server image on a base image of your choice, from the files scripts/build-images.sh
# stages (the same files as its own build):
#   scripts/build-images.sh --only server --context /tmp/kko-context
#   docker build --build-arg BASE=<your base> -t <registry>/kopia-server:0.23.1 /tmp/kko-context/server
# rootfs/ holds /bin/kopia (static), /etc/passwd, /etc/group and a CA bundle.
ARG BASE=scratch
FROM ${BASE}
COPY rootfs/ /
ENV PATH=/bin KOPIA_CHECK_FOR_UPDATES=false HOME=/var/cache/kopia/home \
    KOPIA_LOG_DIR=/var/cache/kopia/logs KOPIA_CACHE_DIRECTORY=/var/cache/kopia
USER 65532:65532
ENTRYPOINT ["/bin/kopia"]
