#!/usr/bin/env bash
# Builds the project's container images without a Docker daemon or a registry (docs/images.md):
# each image's root filesystem is staged from local files, packed into an OCI layout with umoci,
# checked by starting it with runc (read-only root, as the image's user), and written as
#   <name>/<key>/docker.tar   a docker-archive, for `ctr -n k8s.io images import`
#   <name>/<key>/oci.tar      an OCI archive, for `skopeo copy oci-archive:... docker://...`
# under ${KKO_IMAGES_DIR:-~/.cache/kanister-kopia-operator/images}, listed in images.txt there as
# "<image ref> <absolute docker-archive path>". <key> is a digest of every input of the image:
# a rebuild with nothing changed only recomputes the digests.
#
#   scripts/build-images.sh                     build every image (operator-app must be packaged)
#   scripts/build-images.sh --only server,data-mover
#   scripts/build-images.sh --base-image docker://gcr.io/distroless/static-debian12:nonroot
#                                               put the images' files on top of a base image
#                                               (any skopeo source: docker://, oci:, docker-archive:)
#   scripts/build-images.sh --context DIR       stage Docker build contexts (deploy/images/*.Dockerfile)
#   scripts/build-images.sh --no-verify         skip the runc start check
#
# Needs: umoci, skopeo, runc, busybox-static, gcc, jq, unzip (Debian packages), a JDK 17 with jmods, and the
# tools of scripts/install-tools.sh (kopia; coredns when present).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
script="$root/scripts/build-images.sh"

tools_dir=${KKO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kanister-kopia-operator/tools}
out=${KKO_IMAGES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kanister-kopia-operator/images}
java_home=${KKO_IMAGE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
operator_target="$root/operator-app/target"
# One source of truth for the versions: the tool installer.
kopia_version=$(sed -n 's/^KOPIA_VERSION=v//p' "$root/scripts/install-tools.sh")
kubernetes_version=$(sed -n 's/^KUBERNETES_VERSION=//p' "$root/scripts/install-tools.sh")
project_version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")
# What the operator's classes and its dependencies use (jdeps --print-module-deps on
# operator-app/target, plus java.net.http for fabric8's JDK client and jdk.crypto.ec for TLS).
java_modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported

only="" base_image="" context_dir="" verify=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) only=$2; shift 2 ;;
    --base-image) base_image=$2; shift 2 ;;
    --context) context_dir=$2; shift 2 ;;
    --no-verify) verify=false; shift ;;
    -h|--help) sed -n '2,20p' "$script"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[build-images] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
wanted() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }
file_digest() { sha256sum "$@" | cut -c1-64; }

for tool in umoci skopeo runc gcc jq unzip unshare chroot; do
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install umoci skopeo runc gcc jq unzip busybox-static"
done
kopia_bin=$(readlink -f "$tools_dir/bin/kopia" 2>/dev/null || true)
[[ -x "$kopia_bin" ]] || die "no kopia at $tools_dir/bin/kopia: run scripts/install-tools.sh"
busybox=/bin/busybox
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
  die "$busybox is not a static busybox: apt-get install busybox-static"

mkdir -p "$out"
work=$(mktemp -d /tmp/kko-images.XXXXXX)
trap 'rm -rf "$work"' EXIT
images_txt="$work/images.txt"
: >"$images_txt"
started=$(date +%s)

# --- staging: one function per image fills a root filesystem folder -----------------------------

# Users and groups: root, and 65532 (nonroot) for the image's processes.
stage_identity() {
  mkdir -p "$1/etc" "$1/tmp"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\nnobody:x:65534:\n' >"$1/etc/group"
}

# The host's CA bundle (Debian ca-certificates): kopia reaches S3, GCS, Azure and B2 over TLS.
stage_ca_bundle() {
  mkdir -p "$1/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/ca-certificates.crt"
}

stage_kopia() {
  mkdir -p "$1/bin"
  install -m 0755 "$kopia_bin" "$1/bin/kopia"
}

pause_source() {
  go mod download -json "k8s.io/kubernetes@$kubernetes_version" |
    sed -n 's/.*"Dir": "\(.*\)".*/\1/p'
}

pause_tag() {
  sed -n 's/^TAG ?= *//p' "$(pause_source)/build/pause/Makefile"
}

stage_pause() {
  local src tag
  src=$(pause_source)
  tag=$(pause_tag)
  gcc -Os -Wall -Werror -static -DVERSION="v$tag-kko" -o "$work/pause" "$src/build/pause/linux/pause.c"
  strip "$work/pause"
  install -m 0755 "$work/pause" "$1/pause"
}

stage_coredns() {
  stage_identity "$1"
  install -m 0755 "$(readlink -f "$tools_dir/bin/coredns")" "$1/coredns"
}

stage_server() {
  stage_identity "$1"
  stage_ca_bundle "$1"
  stage_kopia "$1"
  # Mount points of the server pod (KopiaServerDeployment): config and TLS Secrets, the cache
  # emptyDir (which also holds HOME and the logs). The image itself is never written to.
  mkdir -p "$1/run/kopia/config" "$1/run/kopia/tls" "$1/var/cache/kopia"
  # Runtimes that seed a volume from the image (or give a tmpfs the folder's mode) get a folder
  # the server's user can write; in a pod it is an emptyDir anyway.
  chown 65532:65532 "$1/var/cache/kopia"
}

# What the client export runs in the pod (ExecPodFileWriter): sh, mkdir, dirname, head, chmod,
# mv; plus what a data mover's scripts and the tests use.
busybox_applets="sh ash cat chmod cmp cp dirname echo env head id ls mkdir mv rm sha256sum sleep tar test true false wc"
stage_data_mover() {
  stage_identity "$1"
  stage_ca_bundle "$1"
  stage_kopia "$1"
  install -m 0755 "$busybox" "$1/bin/busybox"
  local applet
  for applet in $busybox_applets; do
    ln -s busybox "$1/bin/$applet"
  done
  mkdir -p "$1/home/nonroot"
  chown 65532:65532 "$1/home/nonroot"
}

# The JVM's heap is half the container's memory limit (MaxRAMPercentage=50): the other half is
# for the kopia processes the operator runs, whose memory grows with the repository's index.
#
# The JVM runtime: jlink from the JDK's jmods (cached by JDK release and module list), plus the
# shared libraries it links against, copied from the host (Debian's libc6, zlib1g, libgcc-s1,
# libstdc++6). Recorded in /usr/share/kko/runtime.txt inside the image.
jlink_flags="--strip-debug --no-man-pages --no-header-files --compress=2"
jre_dir() {
  local key
  key=$( (cat "$java_home/release"; echo "$java_modules $jlink_flags"; file_digest /etc/ssl/certs/java/cacerts) | sha256sum | cut -c1-16)
  local dir="$out/.jre/$key"
  if [[ ! -x "$dir/bin/java" ]]; then
    log "jlink: a Java runtime with $java_modules"
    rm -rf "$dir" "$dir.partial"
    mkdir -p "$out/.jre"
    "$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$java_modules" \
      $jlink_flags --output "$dir.partial" >&2
    # Debian's JDK links cacerts to /etc/ssl/certs/java; the runtime gets a real copy.
    rm -f "$dir.partial/lib/security/cacerts"
    cp -L /etc/ssl/certs/java/cacerts "$dir.partial/lib/security/cacerts"
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}

# "package version" of the Debian package that installed a file (through its real path).
package_of() {
  local package
  package=$(dpkg -S "$(readlink -f "$1")" 2>/dev/null | head -1 | cut -d: -f1)
  [[ -n "$package" ]] || package=$(dpkg -S "$1" 2>/dev/null | head -1 | cut -d: -f1)
  [[ -n "$package" ]] && echo "$package $(dpkg-query -W -f='${Version}' "$package" 2>/dev/null)" || echo "not from a package"
}

# The shared libraries (and the dynamic loader) the runtime's own programs and core libraries
# need; AWT and sound libraries (java.desktop, for java.beans) are never loaded headless.
stage_shared_libraries() {
  local rootfs=$1 jre=$2 lib
  local objects=("$jre/bin/java" "$jre/lib/server/libjvm.so")
  for lib in java jli net nio zip jimage verify management management_ext extnet prefs j2pkcs11 jaas; do
    [[ -f "$jre/lib/lib$lib.so" ]] && objects+=("$jre/lib/lib$lib.so")
  done
  mkdir -p "$rootfs/usr/share/kko"
  {
    echo "Java runtime: jlink of $(sed -n 's/^JAVA_VERSION=//p' "$java_home/release" | tr -d '"') ($java_home) with $java_modules"
    echo "Shared libraries from the build host's Debian packages:"
  } >"$rootfs/usr/share/kko/runtime.txt"
  ldd "${objects[@]}" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$jre" | sort -u |
    while read -r lib; do
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
      echo "  $lib ($(package_of "$lib"))"
    done >>"$rootfs/usr/share/kko/runtime.txt"
  # The loader's canonical path, which every binary names.
  if [[ ! -e "$rootfs/lib64/ld-linux-x86-64.so.2" ]]; then
    mkdir -p "$rootfs/lib64"
    cp -L /lib64/ld-linux-x86-64.so.2 "$rootfs/lib64/"
  fi
}

# The operator JVM's options, in the launcher below (and so in every start of the image):
# - SerialGC: what the JVM picks by itself in a container under 1792 MiB (the chart's limit is
#   1Gi), made explicit so that every start, and StartupBenchmark, runs the same collector; it
#   also keeps the idle resident set about 20 MiB under G1's.
# - the Class Data Sharing archive of the operator's start-up classes (made below), so the JVM maps
#   them instead of loading, parsing and verifying about 7000 classes at each start. Without a
#   usable archive the JVM starts anyway, only slower (-Xshare:auto, the default).
# - CompileThresholdScaling=4: methods are compiled after 4 times as many calls. At start the JIT
#   compiled thousands of methods run a few times each, half of the JVM's CPU to the first
#   reconcile (2.2 of 4.0 s; 0.8 of 2.6 s with the option, StartupBenchmark). Hot code still gets
#   C2: a PBKDF2 user hash takes the same 0.22-0.27 s after its first runs.
operator_cds_archive=/app/kopia-operator.jsa
operator_jvm_options=(-XX:+ExitOnOutOfMemoryError -XX:MaxRAMPercentage=50 -XX:-UsePerfData
  -XX:+UseSerialGC -XX:CompileThresholdScaling=4 "-XX:SharedArchiveFile=$operator_cds_archive"
  -Djava.io.tmpdir=/tmp)

# /bin/kopia-operator: execs the JVM with the image's options; its arguments are operator flags
# (so `kubectl exec ... -- kopia-operator export-client ...` works without a shell).
launcher_source() {
  local options="" option
  for option in "${operator_jvm_options[@]}"; do options+="\"$option\", "; done
  cat <<C
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  static const char *fixed[] = {"/opt/java/bin/java", $options
      "-jar", "/app/kopia-operator.jar"};
  size_t n = sizeof fixed / sizeof fixed[0];
  char **args = calloc(n + (size_t)argc, sizeof *args);
  if (args == NULL) return 127;
  for (size_t i = 0; i < n; i++) args[i] = (char *)fixed[i];
  for (int i = 1; i < argc; i++) args[n + (size_t)i - 1] = argv[i];
  execv(args[0], args);
  perror("kopia-operator: cannot exec /opt/java/bin/java");
  return 127;
}
C
}

# The CDS archive: a static dump (-Xshare:dump) of the classes listed in
# deploy/images/operator-classes.txt, which a start of the operator against a real API server
# recorded (-XX:DumpLoadedClassList; StartupBenchmark --class-list refreshes it). A static archive
# holds the JDK's own classes too (the jlink'd runtime has no default archive). The dump runs in
# the staged root filesystem itself (chroot, with its own /proc), because the archive records the
# runtime's and the jars' paths, sizes and times, and the JVM maps it only where they match.
# A listed class the dump cannot find is skipped (dynamic proxies, classes of JDK modules the jlink'd
# runtime leaves out, classes since renamed): a stale list costs start-up time, never correctness.
dump_operator_cds_archive() {
  local rootfs=$1
  mkdir -p "$rootfs/proc"
  # Whole-second times: the archive records each jar's time, and the layer's tar did not keep a
  # fraction of a second as the file had it (about every other build failed to map before this).
  find "$rootfs/app" "$rootfs/opt/java/lib/modules" -exec touch -h -d "@$(date +%s)" {} +
  cp "$root/deploy/images/operator-classes.txt" "$rootfs/tmp/operator-classes.txt"
  unshare --mount --pid --fork --mount-proc="$rootfs/proc" chroot "$rootfs" /opt/java/bin/java \
    -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile=/tmp/operator-classes.txt \
    "-XX:SharedArchiveFile=$operator_cds_archive" -cp /app/kopia-operator.jar \
    >"$work/cds-dump.log" 2>&1 || { cat "$work/cds-dump.log" >&2; die "operator: the CDS dump failed"; }
  rm -f "$rootfs/tmp/operator-classes.txt"
  log "operator: CDS archive of $(grep -cv '^[#@]' "$root/deploy/images/operator-classes.txt") listed classes, $(du -h "$rootfs$operator_cds_archive" | cut -f1) ($(grep -c 'Preload Warning: Cannot find' "$work/cds-dump.log") skipped: generated at run time, in modules this runtime leaves out, or gone)"
}

stage_operator() {
  local rootfs=$1 jre
  [[ -f "$operator_target/kopia-operator.jar" && -d "$operator_target/lib" ]] ||
    die "no $operator_target/kopia-operator.jar: run ./mvnw -pl operator-app -am package first"
  stage_identity "$rootfs"
  stage_ca_bundle "$rootfs"
  stage_kopia "$rootfs"
  jre=$(jre_dir)
  mkdir -p "$rootfs/opt" "$rootfs/app"
  cp -a "$jre" "$rootfs/opt/java"
  stage_shared_libraries "$rootfs" "$jre"
  cp "$operator_target/kopia-operator.jar" "$rootfs/app/"
  cp -r "$operator_target/lib" "$rootfs/app/lib"
  launcher_source >"$work/launcher.c"
  gcc -Os -Wall -Werror -static -o "$work/kopia-operator" "$work/launcher.c"
  strip "$work/kopia-operator"
  install -m 0755 "$work/kopia-operator" "$rootfs/bin/kopia-operator"
  # The operator pod's mounts (deploy/operator/deployment.yaml): work dir, tmp, webhook TLS.
  mkdir -p "$rootfs/var/lib/kopia-operator" "$rootfs/etc/kopia-operator/webhook-tls"
  chown 65532:65532 "$rootfs/var/lib/kopia-operator"
  dump_operator_cds_archive "$rootfs"
}

# --- inputs: what goes into each image's cache key ------------------------------------------------

inputs_common() {
  file_digest "$script"
  echo "base=$base_image"
}
inputs_pause() { inputs_common; echo "kubernetes=$kubernetes_version"; gcc --version | head -1; }
inputs_coredns() { inputs_common; file_digest "$(readlink -f "$tools_dir/bin/coredns")"; }
inputs_server() { inputs_common; file_digest "$kopia_bin" /etc/ssl/certs/ca-certificates.crt; }
inputs_data_mover() { inputs_server; file_digest "$busybox"; }
inputs_operator() {
  inputs_server
  cat "$java_home/release"
  # The project's own jars by content: every reactor build rewrites them with new timestamps.
  local jar
  for jar in "$operator_target/kopia-operator.jar" "$operator_target"/lib/*.jar; do
    case "$jar" in
      */kopia-operator.jar | *-SNAPSHOT.jar) echo "$(basename "$jar") $(unzip -p "$jar" | sha256sum | cut -c1-64)" ;;
      *) file_digest "$jar" ;;
    esac
  done
  dpkg-query -W -f='${Package} ${Version}\n' libc6 zlib1g libgcc-s1 libstdc++6 2>/dev/null
  file_digest "$root/deploy/images/operator-classes.txt"
}

# --- image configuration (umoci config flags) -----------------------------------------------------

config_pause() { echo --config.user=65535:65535 --config.entrypoint=/pause; }
config_coredns() { echo --config.user=65532:65532 --config.entrypoint=/coredns; }
config_server() {
  echo --config.user=65532:65532 --config.entrypoint=/bin/kopia \
    --config.env=PATH=/bin --config.env=KOPIA_CHECK_FOR_UPDATES=false \
    --config.env=HOME=/var/cache/kopia/home --config.env=KOPIA_LOG_DIR=/var/cache/kopia/logs \
    --config.env=KOPIA_CACHE_DIRECTORY=/var/cache/kopia
}
config_data_mover() {
  echo --config.user=65532:65532 --config.cmd=/bin/sh \
    --config.env=PATH=/bin --config.env=HOME=/home/nonroot --config.env=KOPIA_CHECK_FOR_UPDATES=false
}
config_operator() {
  echo --config.user=65532:65532 --config.entrypoint=/bin/kopia-operator \
    --config.env=PATH=/bin --config.env=HOME=/tmp --config.env=KOPIA_CHECK_FOR_UPDATES=false \
    --config.env=KOPIA_BIN=/bin/kopia
}

# --- checks: each image starts with plain runc, read-only root, as its own user ------------------

# verify NAME LAYOUT TAG "writable dirs" ARG...: runs ARG... in the image; prints its output.
run_in_image() {
  local name=$1 layout=$2 tag=$3 writable=$4
  shift 4
  local bundle="$work/bundle-$name" state="$work/runc-state" id="kko-verify-$name-$$"
  rm -rf "$bundle"
  umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
  local args mounts
  args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
  mounts=$(for dir in $writable; do
    jq -n --arg d "$dir" '{destination: $d, type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=64m"]}'
  done | jq -s .)
  jq --argjson args "$args" --argjson mounts "$mounts" --arg cg "/kko-image-verify/$id" '
    .root.readonly = true | .process.terminal = false | .process.args = $args
    | .mounts += $mounts | .linux.cgroupsPath = $cg
    | .linux.resources = {memory: {limit: 536870912}}' \
    "$bundle/config.json" >"$bundle/config.json.new"
  mv "$bundle/config.json.new" "$bundle/config.json"
  local status=0
  runc --root "$state" run --bundle "$bundle" "$id" </dev/null >"$work/$name.out" 2>&1 || status=$?
  runc --root "$state" delete --force "$id" >/dev/null 2>&1 || true
  rmdir /sys/fs/cgroup/*/kko-image-verify 2>/dev/null || rmdir /sys/fs/cgroup/kko-image-verify 2>/dev/null || true
  rm -rf "$bundle"
  if [[ $status -ne 0 ]]; then
    cat "$work/$name.out" >&2
    die "$name: '$*' exited $status in the image (read-only root)"
  fi
  cat "$work/$name.out"
}

verify_pause() { run_in_image pause "$@" "" /pause -v | grep -q "pause.c v" || die "pause: no version"; }
verify_coredns() { run_in_image coredns "$@" "" /coredns -version | grep -q CoreDNS || die "coredns: no version"; }
verify_server() {
  run_in_image server "$@" /var/cache/kopia /bin/kopia --version | grep -q "^$kopia_version " ||
    die "server: kopia is not $kopia_version"
  run_in_image server "$@" /var/cache/kopia /bin/kopia server start --help | grep -q -- "--tls-cert-file" ||
    die "server: kopia server start --help"
}
verify_data_mover() {
  # The client export's own script (ExecPodFileWriter.SCRIPT), fed 11 bytes on stdin.
  local export_script='umask 077 && mkdir -p "$(dirname "$1")" && head -c "$2" > "$1.tmp" && chmod 600 "$1.tmp" && mv -f "$1.tmp" "$1"'
  run_in_image data-mover "$@" /tmp /bin/sh -c \
    "printf 'hello-files' | sh -c '$export_script' kopia-export /tmp/client/password 11 && cat /tmp/client/password && /bin/kopia --version && id -u && if (: > /bin/written) 2>/dev/null; then echo root-is-writable; fi" |
    tr '\n' ' ' | grep -q "hello-files$kopia_version .* 65532 $" || die "data-mover: export script, kopia, user or read-only root failed"
}
verify_operator() {
  run_in_image operator "$@" "/tmp /var/lib/kopia-operator" /bin/kopia-operator --version |
    grep -q . || die "operator: --version printed nothing"
  run_in_image operator "$@" /tmp /bin/kopia --version | grep -q "^$kopia_version " ||
    die "operator: kopia is not $kopia_version"
  # -Xshare:on fails the start unless the archive maps: the packed image kept the paths, sizes and
  # times the dump recorded (the log names the entry that does not match).
  run_in_image operator "$@" "/tmp /var/lib/kopia-operator" /opt/java/bin/java -Xshare:on \
    -Xlog:cds=info,class+path=info "${operator_jvm_options[@]}" -jar /app/kopia-operator.jar \
    --version | grep -q '^kopia-operator ' ||
    die "operator: the JVM cannot map its CDS archive $operator_cds_archive"
}

# --- building -------------------------------------------------------------------------------------

# build NAME REF [ADDITIONAL_REF...]
build() {
  local name=$1 ref=$2
  shift 2
  local fn=${name//-/_}
  local key
  key=$("inputs_$fn" | sha256sum | cut -c1-16)
  local dir="$out/$name/$key"
  if [[ -n "$context_dir" ]]; then
    local ctx="$context_dir/$name"
    rm -rf "$ctx" && mkdir -p "$ctx/rootfs"
    "stage_$fn" "$ctx/rootfs"
    cp "$root/deploy/images/$name.Dockerfile" "$ctx/Dockerfile"
    log "$name: build context in $ctx (docker build -t $ref $ctx)"
    return
  fi
  if [[ -f "$dir/docker.tar" && -f "$dir/oci.tar" ]]; then
    log "$name: $ref cached ($key, $(du -h "$dir/docker.tar" | cut -f1))"
  else
    local t0 rootfs layout="$work/oci-$name" tag=${ref##*:}
    t0=$(date +%s)
    log "$name: building $ref"
    if [[ -n "$base_image" && "$name" != pause && "$name" != coredns ]]; then
      skopeo copy --quiet "$base_image" "oci:$layout:$tag" ||
        skopeo --insecure-policy copy --quiet "$base_image" "oci:$layout:$tag"
    else
      umoci init --layout "$layout"
      umoci new --image "$layout:$tag"
    fi
    umoci unpack --image "$layout:$tag" "$work/unpack-$name" >/dev/null
    rootfs="$work/unpack-$name/rootfs"
    "stage_$fn" "$rootfs"
    umoci repack --image "$layout:$tag" "$work/unpack-$name"
    du -sk "$rootfs" | cut -f1 >"$work/$name.rootfs-kib"
    rm -rf "$work/unpack-$name"
    # shellcheck disable=SC2046 # one flag per word
    umoci config --image "$layout:$tag" --os=linux --architecture=amd64 \
      --author="kanister-kopia-operator scripts/build-images.sh" \
      --clear=config.entrypoint --clear=config.cmd $("config_$fn")
    umoci gc --layout "$layout"
    if $verify; then
      "verify_$fn" "$layout" "$tag"
      log "$name: starts under runc (read-only root, as the image's user)"
    fi
    mkdir -p "$dir.partial"
    local extra=() additional
    for additional in "$@"; do extra+=(--additional-tag "$additional"); done
    skopeo --insecure-policy copy --quiet "${extra[@]}" "oci:$layout:$tag" "docker-archive:$dir.partial/docker.tar:$ref"
    skopeo --insecure-policy copy --quiet "oci:$layout:$tag" "oci-archive:$dir.partial/oci.tar:$ref"
    mv "$work/$name.rootfs-kib" "$dir.partial/rootfs-kib"
    rm -rf "$dir" && mv "$dir.partial" "$dir"
    # Older builds of this image are never imported again.
    find "$out/$name" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
    log "$name: built in $(($(date +%s) - t0))s, $(du -h "$dir/docker.tar" | cut -f1) ($key)"
    rm -rf "$layout"
  fi
  echo "$ref $dir/docker.tar" >>"$images_txt"
  for additional in "$@"; do echo "$additional $dir/docker.tar" >>"$images_txt"; done
}

if wanted pause; then
  tag=$(pause_tag)
  build pause "localhost/kko/pause:$tag" "localhost/kko/pause:${tag%.*}"
fi
if wanted coredns; then
  if [[ -x "$tools_dir/bin/coredns" ]]; then
    coredns_version=$("$tools_dir/bin/coredns" -version | sed -n 's/^CoreDNS-//p' | head -1)
    build coredns "localhost/kko/coredns:$coredns_version"
  else
    log "coredns: skipped, no $tools_dir/bin/coredns (scripts/install-tools.sh builds it)"
  fi
fi
wanted server && build server "localhost/kko/kopia-server:$kopia_version"
wanted data-mover && build data-mover "localhost/kko/data-mover:$kopia_version"
wanted operator && build operator "localhost/kko/operator:$project_version"

if [[ -z "$context_dir" ]]; then
  if [[ -z "$only" ]]; then
    mv "$images_txt" "$out/images.txt"
  else
    # A partial build keeps the other images' lines.
    touch "$out/images.txt"
    awk 'NR==FNR {new[$1]=1; print; next} !($1 in new)' "$images_txt" "$out/images.txt" >"$work/merged"
    mv "$work/merged" "$out/images.txt"
  fi
  log "images in $out/images.txt ($(($(date +%s) - started))s):"
  while read -r ref archive; do
    printf '[build-images]   %-42s %6s  (root filesystem %s KiB)\n' "$ref" \
      "$(du -h "$archive" | cut -f1)" "$(cat "$(dirname "$archive")/rootfs-kib" 2>/dev/null || echo '?')" >&2
  done <"$out/images.txt"
fi
