#!/usr/bin/env bash
# The namespace plumbing of the real single-node cluster (docs/testing.md, "The real cluster").
# LocalCluster (test-support-kube) calls it; run it by hand only to clean up after a killed JVM.
#
#   scripts/real-node.sh up     create the network + mount namespaces, cgroup and fixed-path mounts
#   scripts/real-node.sh down   stop every recorded process, then remove all that 'up' created
#   scripts/real-node.sh check  exit 1, naming it, if anything 'up' creates is still there
#
# KKO_NODE_DIR (default /tmp/kko-real-node) holds all state. Processes started in the namespaces
# record their PID in $KKO_NODE_DIR/pids/<order>-<name>.pid; 'down' stops them in that order.
# Only one node per machine: containerd and kubelet keep fixed paths (/run/containerd,
# /var/lib/kubelet, /var/lib/cni, /var/log/pods, /var/log/containers), which 'up' bind-mounts
# from the state folder inside the private mount namespace, so the host's paths stay untouched.
set -euo pipefail

DIR=${KKO_NODE_DIR:-/tmp/kko-real-node}
NODE_IP=${KKO_NODE_IP:-10.200.0.1}
CGROUP_NAME=kko-real-node
FIXED_PATHS=(/run/containerd /var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers)
# kubelet insists on these host-wide values; inside the mount namespace it reads them from files.
KUBELET_SYSCTLS=(vm/overcommit_memory=1 kernel/panic=10 kernel/panic_on_oops=1)

log() { printf '[real-node] %s\n' "$*" >&2; }
in_ns() { nsenter --net="$DIR/ns/net" --mount="$DIR/ns/mnt" -- "$@"; }

cgroup_dirs() {
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    if [[ -L "${hierarchy%/}" ]]; then continue; fi # cpu,cpuacct style aliases
    printf '%s%s\n' "$hierarchy" "$CGROUP_NAME"
  done
}

up() {
  if mountpoint -q "$DIR/ns" 2>/dev/null || [[ -e "$DIR/ns/net" ]]; then
    log "a node is already set up in $DIR: tearing it down first"
    down
  fi
  mkdir -p "$DIR"/{ns,pids,sysctl,fixed,logs}
  # A namespace can only be bound to a file on a private mount.
  mount --bind "$DIR/ns" "$DIR/ns"
  mount --make-private "$DIR/ns"
  touch "$DIR/ns/net" "$DIR/ns/mnt"
  unshare --net="$DIR/ns/net" --mount="$DIR/ns/mnt" --propagation private true
  stat -L -c %i "$DIR/ns/net" >"$DIR/ns/net.inode"

  local path name
  : >"$DIR/created-paths"
  for path in "${FIXED_PATHS[@]}"; do
    name=$(basename "$path")
    mkdir -p "$DIR/fixed/$name"
    if [[ ! -e "$path" ]]; then
      mkdir -p "$path" # an empty mount point on the host, removed again by 'down'
      echo "$path" >>"$DIR/created-paths"
    fi
    in_ns mount --bind "$DIR/fixed/$name" "$path"
  done
  local entry
  for entry in "${KUBELET_SYSCTLS[@]}"; do
    name=${entry%%=*}
    echo "${entry#*=}" >"$DIR/sysctl/${name//\//.}"
    in_ns mount --bind "$DIR/sysctl/${name//\//.}" "/proc/sys/$name"
  done

  # Network: the node IP on the namespace's own loopback; the sysctls are the namespace's own.
  in_ns ip link set lo up
  in_ns ip addr add "$NODE_IP/32" dev lo
  in_ns sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward
    echo 1 >/proc/sys/net/ipv4/conf/all/route_localnet
    echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables'

  # The kubelet's cgroupRoot, created in every hierarchy so that all pod cgroups live below it.
  local dir
  while read -r dir; do
    mkdir -p "$dir"
    if [[ -f "${dir%/*}/cpuset.cpus" ]]; then
      cat "${dir%/*}/cpuset.cpus" >"$dir/cpuset.cpus"
      cat "${dir%/*}/cpuset.mems" >"$dir/cpuset.mems"
    fi
  done < <(cgroup_dirs)
  log "namespaces ready in $DIR (node IP $NODE_IP)"
}

# stop_pid NAME PID: TERM, then KILL after 10 s; waits until it is gone.
stop_pid() {
  local name=$1 pid=$2 waited=0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited == 100)); then
      log "$name ($pid) ignored SIGTERM for 10s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
    waited=$((waited + 1))
    # A zombie whose parent (the JVM) has not reaped it yet is already gone.
    if [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" == Z ]]; then break; fi
  done
}

# stop_recorded FROM TO: stops the recorded processes whose order prefix lies in [FROM, TO].
stop_recorded() {
  local file order
  for file in "$DIR"/pids/*.pid; do
    [[ -e "$file" ]] || continue
    order=$(basename "$file")
    order=${order%%-*}
    if ((10#$order >= $1 && 10#$order <= $2)); then
      stop_pid "$(basename "$file" .pid)" "$(cat "$file")"
      rm -f "$file"
    fi
  done
}

# Containers: through containerd first (kill, then delete the task, which lets its shim exit),
# then by PID: each container's init as containerd recorded it, and its parent, the shim.
stop_containers() {
  # containerd's state folder is /run/containerd in the namespace, bound from fixed/containerd.
  local state="$DIR/fixed/containerd/io.containerd.runtime.v2.task" file pid shims=() id
  [[ -d "$state" ]] || return 0
  for file in "$state"/*/*/init.pid; do
    [[ -e "$file" ]] || continue
    pid=$(cat "$file")
    if [[ -e "/proc/$pid/stat" ]]; then shims+=("$(awk '{print $4}' "/proc/$pid/stat")"); fi
  done
  if [[ -S "$DIR/fixed/containerd/containerd.sock" ]]; then
    for file in "$state"/k8s.io/*/; do
      [[ -d "$file" ]] || continue
      id=$(basename "$file")
      ctr_in_ns tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    sleep 0.5
    for file in "$state"/k8s.io/*/; do
      [[ -d "$file" ]] || continue
      ctr_in_ns tasks delete -f "$(basename "$file")" >/dev/null 2>&1 || true
    done
  fi
  for file in "$state"/*/*/init.pid; do
    if [[ -e "$file" ]]; then kill -KILL "$(cat "$file")" 2>/dev/null || true; fi
  done
  for pid in "${shims[@]}"; do
    # A parent that is a shim (an init whose shim already exited has been reparented).
    if [[ "$pid" -gt 1 && "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *containerd-shim* ]]; then
      stop_pid shim "$pid"
    fi
  done
}

ctr_in_ns() { timeout 10 nsenter --net="$DIR/ns/net" --mount="$DIR/ns/mnt" -- ctr --address /run/containerd/containerd.sock -n k8s.io "$@"; }

# Anything still in the namespace was started by the node (a shim's child, say); never expected.
stop_stragglers() {
  [[ -s "$DIR/ns/net.inode" ]] || return 0
  local inode pid
  inode=$(cat "$DIR/ns/net.inode")
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [[ "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" == "$inode" ]]; then
      log "straggler in the node's namespace: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

down() {
  [[ -d "$DIR" ]] || return 0
  stop_recorded 0 19  # kubelet, kube-proxy
  stop_containers     # the pods
  stop_recorded 20 99 # containerd, then control plane and socat forwarders
  stop_stragglers
  local file
  for file in "$DIR/ns/net" "$DIR/ns/mnt"; do
    if mountpoint -q "$file" 2>/dev/null; then umount "$file"; fi
  done
  if mountpoint -q "$DIR/ns" 2>/dev/null; then umount "$DIR/ns"; fi
  # Pod cgroups are empty once their processes are gone; remove the tree leaf first.
  local dir
  while read -r dir; do
    if [[ -d "$dir" ]]; then find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
    if [[ -d "$dir" ]]; then log "cgroup $dir could not be removed"; fi
  done < <(cgroup_dirs)
  if [[ -f "$DIR/created-paths" ]]; then
    while read -r file; do rmdir "$file" 2>/dev/null || log "cannot remove $file"; done <"$DIR/created-paths"
  fi
  rm -rf "$DIR"
  log "node torn down"
}

# check: what 'down' must have removed (the caller checks processes and fixed paths). Prints each leftover and exits 1 if there is any.
check() {
  local leftovers=0 dir
  while read -r dir; do
    if [[ -e "$dir" ]]; then echo "leftover cgroup: $dir"; leftovers=1; fi
  done < <(cgroup_dirs)
  if [[ -e "$DIR" ]]; then echo "leftover state folder: $DIR"; leftovers=1; fi
  if grep -F " $DIR" /proc/self/mountinfo; then echo "leftover mounts under $DIR"; leftovers=1; fi
  return $leftovers
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  check) check ;;
  *)
    echo "usage: $0 up|down|check" >&2
    exit 2
    ;;
esac
