#!/usr/bin/env bash
# Installs the real binaries the tests run: kopia, etcd, the Kubernetes components of a real
# single node (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy) and
# CoreDNS, built from their Go modules (no prebuilt downloads exist on this machine), plus the
# node's runtime (containerd, runc, CNI plugins, iptables, socat, ...) from Debian packages. Each is keyed by version in a per-user
# cache, so a second run only checks and prints versions.
#
#   scripts/install-tools.sh            install what is missing, print versions
#   KKO_TOOLS_DIR=/path scripts/...     use another cache folder
#
# Tests find the binaries through $KKO_TOOLS_DIR/bin (default ~/.cache/kanister-kopia-operator/tools).
set -euo pipefail

KOPIA_VERSION=v0.23.1
ETCD_VERSION=v3.6.16
KUBERNETES_VERSION=v1.34.4
# The CoreDNS that kubeadm pairs with Kubernetes 1.34.
COREDNS_VERSION=v1.12.1

TOOLS_DIR=${KKO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kanister-kopia-operator/tools}
BIN_DIR="$TOOLS_DIR/bin"
mkdir -p "$BIN_DIR"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0

log() { printf '[install-tools] %s\n' "$*" >&2; }

# link NAME VERSION: points bin/NAME at the versioned build, atomically.
link() {
  ln -sfn "$TOOLS_DIR/$1/$2/$1" "$BIN_DIR/$1.tmp"
  mv -Tf "$BIN_DIR/$1.tmp" "$BIN_DIR/$1"
}

# build_in_module NAME VERSION MODULE LDFLAGS: builds the main package at the root of a Go module
# inside its downloaded source. The proxy serves tagged modules but not their version lists, which
# 'go install pkg@v' asks for (deprecation check); building inside the download needs only the tag.
build_in_module() {
  local name=$1 version=$2 module=$3 ldflags=$4
  local dir="$TOOLS_DIR/$name/$version"
  if [[ ! -x "$dir/$name" ]]; then
    log "building $name $version (go build of the module $module)"
    local src began=$SECONDS
    src=$(go mod download -json "$module@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    (cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$dir.partial/$name" .)
    rm -rf "$dir" && mv "$dir.partial" "$dir"
    log "built $name in $((SECONDS - began))s"
  fi
  link "$name" "$version"
}

install_kopia() {
  build_in_module kopia "$KOPIA_VERSION" github.com/kopia/kopia \
    "-s -w -X github.com/kopia/kopia/repo.BuildVersion=${KOPIA_VERSION#v} -X github.com/kopia/kopia/repo.BuildInfo=$KOPIA_VERSION"
}

# CoreDNS gives the real node's pods Service DNS names (docs/design/decisions.md).
install_coredns() {
  build_in_module coredns "$COREDNS_VERSION" github.com/coredns/coredns "-s -w"
}

install_etcd() {
  local dir="$TOOLS_DIR/etcd/$ETCD_VERSION"
  if [[ ! -x "$dir/etcd" ]]; then
    log "building etcd $ETCD_VERSION (throwaway module around etcdmain)"
    local work
    work=$(mktemp -d)
    cat >"$work/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    (
      cd "$work"
      go mod init kko.local/etcd >/dev/null 2>&1
      go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null
      go mod tidy >/dev/null
      mkdir -p "$dir.partial"
      go build -trimpath -o "$dir.partial/etcd" .
    )
    rm -rf "$work" "$dir" && mv "$dir.partial" "$dir"
  fi
  link etcd "$ETCD_VERSION"
}

# install_kubernetes NAME...: builds the upstream main packages k8s.io/kubernetes/cmd/NAME that
# are not cached yet, all in ONE go build of one throwaway module, so the packages they share
# (client-go, apiserver, api, ...) compile once.
install_kubernetes() {
  local name missing=()
  for name in "$@"; do
    [[ -x "$TOOLS_DIR/$name/$KUBERNETES_VERSION/$name" ]] || missing+=("$name")
  done
  if ((${#missing[@]})); then
    log "building ${missing[*]} $KUBERNETES_VERSION (throwaway module around k8s.io/kubernetes/cmd/...)"
    local work began=$SECONDS
    work=$(mktemp -d)
    # Staging modules (k8s.io/api, k8s.io/apiserver, ...) are published as v0.<minor>.<patch>.
    local staging_version="v0.${KUBERNETES_VERSION#v1.}"
    local minor=${KUBERNETES_VERSION#v1.}
    minor=${minor%%.*}
    {
      # The tools-file pattern: keeps the main packages' dependencies in go.mod for 'go mod tidy'.
      printf '//go:build tools\n\npackage tools\n\nimport (\n'
      for name in "${missing[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$name"; done
      printf ')\n'
    } >"$work/tools.go"
    (
      cd "$work"
      go mod init kko.local/kubernetes >/dev/null 2>&1
      # k8s.io/kubernetes replaces its staging modules with local folders; a consumer must pin
      # each to its published version instead. The list comes from the module's own go.mod.
      local upstream_mod
      upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
      grep -oE 'k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$upstream_mod" |
        awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}' >>go.mod
      go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
      go mod tidy >/dev/null
      mkdir -p out
      local packages=()
      for name in "${missing[@]}"; do packages+=("k8s.io/kubernetes/cmd/$name"); done
      go build -trimpath -ldflags "-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
        -o out/ "${packages[@]}"
    )
    for name in "${missing[@]}"; do
      local dir="$TOOLS_DIR/$name/$KUBERNETES_VERSION"
      rm -rf "$dir" && mkdir -p "$dir" && mv "$work/out/$name" "$dir/$name"
    done
    rm -rf "$work"
    log "built ${missing[*]} in $((SECONDS - began))s"
  fi
  for name in "$@"; do link "$name" "$KUBERNETES_VERSION"; done
}

# The real node's runtime (docs/testing.md) and the image build's tools (docs/images.md: umoci and
# skopeo pack, runc checks, busybox and gcc's static libc go into images) come from Debian packages,
# and perl, which runs the e2e tests' recording kopia shim (KopiaRecordingShim).
DEBIAN_PACKAGES=(containerd runc containernetworking-plugins iptables conntrack socat umoci skopeo
  busybox-static jq unzip gcc libc6-dev perl)

installed_version() { dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null | sed -n 's/^install ok installed //p'; }

install_debian_packages() {
  local package missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    [[ -n "$(installed_version "$package")" ]] || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  log "installing Debian packages: ${missing[*]}"
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    apt-get update -q >&2
  fi
  # Stale package lists name versions the archive no longer has: refresh once and retry.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; }
}

# --- helm (deploy/helm chart: helm lint/template in the suite) ---------------------------------
HELM_VERSION=v3.22.0

install_helm() {
  local dir="$TOOLS_DIR/helm/$HELM_VERSION"
  if [[ ! -x "$dir/helm" ]]; then
    log "building helm $HELM_VERSION (go build of helm.sh/helm/v3/cmd/helm inside its module)"
    local src
    src=$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    mkdir -p "$dir.partial"
    (cd "$src" && go build -trimpath \
      -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
      -o "$dir.partial/helm" ./cmd/helm)
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  link helm "$HELM_VERSION"
}

# --- end helm and image packages --------------------------------------------------------------

start=$(date +%s)
KUBERNETES_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
install_kopia
install_etcd
install_kubernetes "${KUBERNETES_BINARIES[@]}"
install_coredns
install_helm
install_debian_packages

{
  echo "go $(go env GOVERSION)"
  echo "kopia $("$BIN_DIR/kopia" --version 2>/dev/null | head -1)"
  echo "etcd $("$BIN_DIR/etcd" --version 2>/dev/null | head -1)"
  for name in "${KUBERNETES_BINARIES[@]}"; do
    echo "$name $("$BIN_DIR/$name" --version 2>/dev/null | head -1)"
  done
  echo "coredns $("$BIN_DIR/coredns" -version 2>/dev/null | head -1)"
  echo "helm $("$BIN_DIR/helm" version --short 2>/dev/null | head -1)"
  for package in "${DEBIAN_PACKAGES[@]}"; do
    echo "$package $(installed_version "$package") (Debian)"
  done
} >"$TOOLS_DIR/versions.txt"
sed 's/^/[install-tools] /' "$TOOLS_DIR/versions.txt" >&2
log "tools ready in $BIN_DIR ($(($(date +%s) - start))s)"
