#!/usr/bin/env bash
# The project's run command.
#   With a cluster (KUBECONFIG, ~/.kube/config, or in-cluster): runs the operator against it;
#   every argument is an operator flag (see --help).
#   Without one: the local demo. A control plane from the cached binaries, the CRD, a sample
#   filesystem Repository, the operator and its Kopia server as a local process. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

has_cluster() {
  [[ -n "${KUBECONFIG:-}" || -f "$HOME/.kube/config" || -n "${KUBERNETES_SERVICE_HOST:-}" ]]
}

if [[ "${1:-}" == "--help" || "${1:-}" == "--version" ]] || has_cluster; then
  ./mvnw -B -q -pl operator-app -am package -DskipTests -Dspotless.check.skip=true
  exec java -jar operator-app/target/kopia-operator.jar "$@"
fi

scripts/install-tools.sh
./mvnw -B -q -pl e2e-tests -am compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/run.classpath -Dmdep.includeScope=runtime
exec java -cp "e2e-tests/target/classes:$(cat e2e-tests/target/run.classpath)" io.kanister.kopia.e2e.LocalDemo
