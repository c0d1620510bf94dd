#!/usr/bin/env bash
# `npm start` (the README's first command) on the Node.js first on PATH, on a throwaway data
# folder with the demo data: waits until the sign-in page answers with its form, signs in as
# `admin` (argon2 and SQLite, the native modules, at work), then stops the server. Exit 0 when
# both worked; else prints the server's output. Port: $SMOKE_PORT (default 3917).
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
    # npm start's default ORIGIN is http://localhost:$PORT: form posts must come from there.
    signin="$(curl -sS -o /dev/null -D - -X POST "http://127.0.0.1:$port/login" \
      -H "Origin: http://localhost:$port" -H "Accept: text/html" --data-urlencode username=admin --data-urlencode password=Doorstep-2026)"
    if ! grep -qi '^set-cookie: ' <<<"$signin" || ! grep -q '^HTTP/1.1 303' <<<"$signin"; then
      echo "Signing in as admin failed:"; head -1 <<<"$signin"; cat "$log"; exit 1
    fi
    echo "npm start on Node.js $(node --version): /login answers with the sign-in form; admin signs in (303 and a session cookie)."
    grep -v '^$' "$log" | sed 's/^/  server: /' | head -20
    exit 0
  fi
  sleep 1
done
echo "npm start did not serve /login within 5 minutes:"; cat "$log"; exit 1
