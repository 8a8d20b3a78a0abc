#!/usr/bin/env bash
# Installs the real binaries the tests run: kopia, etcd and kube-apiserver, built from their Go
# modules (no prebuilt downloads exist on this machine). Each is keyed by version in a per-user
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

install_kopia() {
  local dir="$TOOLS_DIR/kopia/$KOPIA_VERSION"
  if [[ ! -x "$dir/kopia" ]]; then
    log "building kopia $KOPIA_VERSION (go build of the module github.com/kopia/kopia)"
    # The proxy serves the tagged module but not its version list, which 'go install pkg@v'
    # asks for (deprecation check); building inside the downloaded module needs only the tag.
    local src
    src=$(go mod download -json "github.com/kopia/kopia@$KOPIA_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    mkdir -p "$dir.partial"
    (cd "$src" && go build -trimpath \
      -ldflags "-s -w -X github.com/kopia/kopia/repo.BuildVersion=${KOPIA_VERSION#v} -X github.com/kopia/kopia/repo.BuildInfo=$KOPIA_VERSION" \
      -o "$dir.partial/kopia" .)
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  link kopia "$KOPIA_VERSION"
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

install_kube_apiserver() {
  local dir="$TOOLS_DIR/kube-apiserver/$KUBERNETES_VERSION"
  if [[ ! -x "$dir/kube-apiserver" ]]; then
    log "building kube-apiserver $KUBERNETES_VERSION (throwaway module around cmd/kube-apiserver/app)"
    local work staging_version
    work=$(mktemp -d)
    # Staging modules (k8s.io/api, k8s.io/apiserver, ...) are published as v0.<minor>.<patch>.
    staging_version="v0.${KUBERNETES_VERSION#v1.}"
    local minor=${KUBERNETES_VERSION#v1.}
    minor=${minor%%.*}
    cat >"$work/main.go" <<'GO'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
GO
    (
      cd "$work"
      go mod init kko.local/kube-apiserver >/dev/null 2>&1
      # k8s.io/kubernetes replaces its staging modules with local folders; a consumer must pin
      # each to its published version instead. The list comes from the module's own go.mod.
      local upstream_mod
      upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
      grep -oE 'k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$upstream_mod" |
        awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}' >>go.mod
      go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
      go mod tidy >/dev/null
      mkdir -p "$dir.partial"
      go build -trimpath -ldflags "-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
        -o "$dir.partial/kube-apiserver" .
    )
    rm -rf "$work" "$dir" && mv "$dir.partial" "$dir"
  fi
  link kube-apiserver "$KUBERNETES_VERSION"
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

# The image build (scripts/build-images.sh) packs with umoci and skopeo, checks with runc, and
# takes busybox and gcc's static libc from Debian packages.
install_image_packages() {
  local missing=() package
  for package in umoci skopeo runc busybox-static jq unzip gcc libc6-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing Debian packages for the image build: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
  fi
}
# --- end helm and image packages --------------------------------------------------------------

start=$(date +%s)
install_kopia
install_etcd
install_kube_apiserver
install_helm
install_image_packages

{
  echo "kopia $("$BIN_DIR/kopia" --version 2>/dev/null | head -1)"
  echo "etcd $("$BIN_DIR/etcd" --version 2>/dev/null | head -1)"
  echo "kube-apiserver $("$BIN_DIR/kube-apiserver" --version 2>/dev/null | head -1)"
  echo "helm $("$BIN_DIR/helm" version --short 2>/dev/null | head -1)"
} >"$TOOLS_DIR/versions.txt"
sed 's/^/[install-tools] /' "$TOOLS_DIR/versions.txt" >&2
log "tools ready in $BIN_DIR ($(($(date +%s) - start))s)"
