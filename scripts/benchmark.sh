#!/usr/bin/env bash
# Runs a benchmark main from a module's test sources; benchmarks print figures, never assert.
#   scripts/benchmark.sh kopia-core io.kanister.kopia.core.KopiaLatencyBenchmark
set -euo pipefail
cd "$(dirname "$0")/.."
module=$1
main=$2
shift 2
./mvnw -B -q -pl "$module" -am -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/benchmark.classpath -Dmdep.includeScope=test
exec java -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/benchmark.classpath")" "$main" "$@"
