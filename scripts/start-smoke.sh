#!/usr/bin/env bash
# `npm start` (the README's first command) on the Node.js first on PATH, on a throwaway data
# folder: waits until the sign-in page answers 200 with its form, then stops the server. Exit 0
# when it did; else prints the server's output. Port: $SMOKE_PORT (default 3917).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SMOKE_PORT:-3917}"
data="$(mktemp -d)"
log="$data/server.log"
PORT="$port" HOST=127.0.0.1 DATA_DIR="$data" setsid npm start >"$log" 2>&1 &
server=$!
cleanup() { kill -TERM -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
# Up to 5 minutes: the first start may rebuild better-sqlite3 or the app on a busy machine.
for _ in $(seq 1 300); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "npm start exited early:"; cat "$log"; exit 1
  fi
  body="$(curl -fsS "http://127.0.0.1:$port/login" 2>/dev/null || true)"
  if [[ "$body" == *'id="username"'* ]]; then
    echo "npm start on Node.js $(node --version): http://127.0.0.1:$port/login answers with the sign-in form."
    grep -v '^$' "$log" | sed 's/^/  server: /' | head -20
    exit 0
  fi
  sleep 1
done
echo "npm start did not serve /login within 5 minutes:"; cat "$log"; exit 1
