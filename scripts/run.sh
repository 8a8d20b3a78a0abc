#!/usr/bin/env bash
# The project's run command: builds the operator (tests skipped) and runs it with the given flags.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl operator-app -am package -DskipTests
exec java -jar operator-app/target/kopia-operator.jar "$@"
