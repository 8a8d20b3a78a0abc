# CoreDNS for the test node (the binary scripts/install-tools.sh builds):
#   scripts/build-images.sh --only coredns --context /tmp/kko-context
FROM scratch
COPY rootfs/ /
USER 65532:65532
ENTRYPOINT ["/coredns"]
