# The pause image of the test node (pause.c from k8s.io/kubernetes, built static):
#   scripts/build-images.sh --only pause --context /tmp/kko-context
FROM scratch
COPY rootfs/ /
USER 65535:65535
ENTRYPOINT ["/pause"]
