#!/usr/bin/env bash
# Installs the pinned npm package oidc-provider (a certified OpenID provider) for the sign-in tests, and prints the
# folder whose node_modules holds it. Idempotent and quiet: nothing is fetched when it is already in place.
# Usage: install-oidc-provider.sh   (MCPCLOUDTOOLS_TOOLS=/some/dir to choose the cache; default ~/.cache/mcp-cloud-tools)
set -euo pipefail
version="9.13.3"
root="${MCPCLOUDTOOLS_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/mcp-cloud-tools}/oidc-provider-$version"
if [ ! -f "$root/node_modules/oidc-provider/package.json" ]; then
  mkdir -p "$root"
  work=$(mktemp -d "$root.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && echo '{"private":true}' > package.json && npm install --silent --no-audit --no-fund --ignore-scripts "oidc-provider@$version" > /dev/null)
  rm -rf "$root/node_modules"
  mv "$work/node_modules" "$root/node_modules"
fi
echo "$root"
