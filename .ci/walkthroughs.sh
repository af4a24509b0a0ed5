#!/usr/bin/env bash
# The README's walkthroughs, run as a new user pastes them: seed the demo into a fresh embedded
# database, start the server, set the keys the seed printed, run every block of the "Try it"
# section in order. Fails on an error answer or a value that came back empty.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(mktemp -d)
PORT=${WALK_PORT:-$((3800 + RANDOM % 90))}
KEY="ac_walkthrough_platform_key_$(date +%s)_0123456789"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "walkthroughs: port $PORT is already in use"; exit 1; fi
trap 'kill -- -$SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
SERVER=

DATA_DIR="$DATA/db" AFTERCARE_ADMIN_KEY=$KEY node --disable-proto=delete dist/demo/seed.js >"$DATA/seed.txt"
DATA_DIR="$DATA/db" PORT=$PORT AFTERCARE_ADMIN_KEY=$KEY WEBHOOK_ALLOW_HOSTS=localhost:4000 setsid node --disable-proto=delete dist/main.js >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 1; done

key() { grep -A1 "^  $1" "$DATA/seed.txt" | tail -1 | awk '{print $2}'; }
# the section between "## Try it" and the next "## ", its ```sh blocks, with the seed's keys and our port
node -e '
  const [readme, maker, store, center, tech, port] = process.argv.slice(1);
  const section = require("fs").readFileSync(readme, "utf8").split(/^## /m).find((s) => s.startsWith("Try it"));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const keys = { MAKER: maker, STORE: store, CENTER: center, TECH: tech };
  let script = blocks.join("\n").replace(/^export (\w+)=ac_live_…/gm, (_, name) => `export ${name}=${keys[name]}`);
  script = script.replaceAll("http://localhost:3000", `http://localhost:${port}`);
  process.stdout.write(script);
' README.md "$(key Northwind)" "$(key Contoso)" "$(key 'FixIt Service Center  ')" "$(key 'FixIt Service Center (technician')" "$PORT" >"$DATA/walk.sh"

OUT=$(bash -euo pipefail "$DATA/walk.sh")
printf '%s\n' "$OUT"
if printf '%s\n' "$OUT" | grep -qE '^(undefined|null|)$|"errors"|"code":"'; then
  echo "walkthroughs: a step answered an error or nothing (see above)"; exit 1
fi
echo "walkthroughs: 1 passed, 0 failed ($(printf '%s\n' "$OUT" | wc -l) answers)"
