# The test data-mover image (kopia, busybox as /bin/sh and its coreutils applets):
#   scripts/build-images.sh --only data-mover --context /tmp/kko-context
#   docker build --build-arg BASE=<your base> -t <registry>/data-mover:0.23.1 /tmp/kko-context/data-mover
ARG BASE=scratch
FROM ${BASE}
COPY rootfs/ /
ENV PATH=/bin HOME=/home/nonroot KOPIA_CHECK_FOR_UPDATES=false
USER 65532:65532
CMD ["/bin/sh"]
