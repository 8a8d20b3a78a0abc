#!/usr/bin/env bash
# The reliability battery (issue 13): fencing of a lost leader, bounded work (pass deadline, fair
# kopia permits), fault scenarios each followed by the invariant checks, hostile input, recovery
# of informers, hung servers and failures reaching status. The default list runs on the local
# harness (real kube-apiserver and etcd, real kopia, s3proxy) and never starts the real node. The
# scenarios where pods matter (a server killed mid-snapshot, frozen, its objects deleted, the
# operator killed before a re-export into a pod) need the
# real node (docs/testing.md#the-real-cluster-realcluster) and run only with --real-node, instead
# of the local list. Every class here also runs in scripts/test.sh; this runs just them, and ends with
# the figures they printed.
#
#   scripts/battery.sh                 # the whole local battery, a few minutes
#   scripts/battery.sh -Dit.test=CutPointsIT   # one scenario
#   scripts/battery.sh --real-node     # the real-node scenarios (starts the real node), ~5 min
set -euo pipefail
cd "$(dirname "$0")/.."

classes=(
  LeaderElectionIT      # controller-runtime: handover, lost Lease ends the process
  InformerRecoveryIT    # controller-runtime: informers watch again after the API server cut them
  LeaderFencingIT       # the old leader's last kopia write ends before the new leader's first
  SlowStorageIT         # S3 dark: others not delayed, pass deadline fires, recovery + invariants
  CutPointsIT           # operator dies after each kopia command of a first pass + invariants
  ServedCutPointsIT     # operator dies after the policy set, each user add, the config Secret, the Deployment; a fresh process takes over
  ReexportCutIT         # operator dies between a token rotation's password change and its re-export into the pod
  CreateRaceIT          # two Repositories race to create on one empty location + invariants
  ConflictStormIT       # the Repository edited 50 times a second during its passes + invariants
  OwnedObjectsStormIT   # its config Secret, Deployment and Service edited under the operator
  ApiServerRestartIT    # kube-apiserver restarted; 410 Gone after an etcd compaction + invariants
  LeaderFailoverUsersE2E # 2 operator processes; the leader goes dark mid users convergence (200 users here)
  HungServerRemedyIT    # a silent server's pod is restarted
  ReconcileFailureIT    # any exception reaches status
  UsersStepFailureIT    # users step failures never lose users
  HostileCorpusE2E      # the hostile-input corpus, a healthy Repository stays Ready
)
# Needs the real node (containerd, kubelet): only with --real-node.
real_node_classes=(
  ServerFaultsE2E       # server SIGKILLed mid-snapshot, SIGSTOPped, generated objects deleted
  # the operator SIGKILLed between a dynamic user's token change and its re-export (db-0 paused);
  # it needs the rotations before it only for its setup, the first method
  "RotationsE2E#bothClientsSnapshotBeforeAnyRotation+theLeaderKilledBetweenATokenChangeAndItsReexport"
)
if [[ "${1:-}" == "--real-node" ]]; then
  shift
  classes=("${real_node_classes[@]}")
fi
list=$(IFS=,; echo "${classes[*]}")
log=$(mktemp -t battery.XXXXXX.log)
start=$(date +%s)
set +e
./mvnw -B -Dkko.requireRealParts=true -pl controller-runtime,operator-app,e2e-tests -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$list" -Dfailsafe.failIfNoSpecifiedTests=false -Dkko.failoverUsers=200 "$@" 2>&1 |
  tee "$log"
rc=${PIPESTATUS[0]}
set -e
echo
echo "== battery figures ($(($(date +%s) - start)) s; noisy on a shared machine) =="
grep -E '^\[(figures|invariants)\]' "$log" || echo "(none printed)"
echo "log: $log"
exit "$rc"
