# The operator image: a jlink'd Java 17 runtime at /opt/java with the shared libraries it needs,
# kopia at /bin/kopia, the operator at /app and its launcher /bin/kopia-operator:
#   ./mvnw -pl operator-app -am package -DskipTests
#   scripts/build-images.sh --only operator --context /tmp/kko-context
#   docker build --build-arg BASE=<your base> -t <registry>/kopia-operator:<version> /tmp/kko-context/operator
# rootfs/ is self-contained, so any linux/amd64 base works (its glibc is not used: the runtime's
# libraries are in rootfs/ and take precedence over the base's files at the same paths).
ARG BASE=scratch
FROM ${BASE}
COPY rootfs/ /
ENV PATH=/bin HOME=/tmp KOPIA_CHECK_FOR_UPDATES=false KOPIA_BIN=/bin/kopia
USER 65532:65532
ENTRYPOINT ["/bin/kopia-operator"]
