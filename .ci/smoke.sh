#!/usr/bin/env bash
# Smoke run as a new user would: `npm start` on the embedded database, then register a unit over HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$(mktemp -d)
PORT=${SMOKE_PORT:-$((3900 + RANDOM % 90))}
KEY="ac_smoke_platform_key_$(date +%s)_0123456789"
LOG="$DATA/server.log"
# a server already on the port would answer in our place: refuse rather than test a stranger
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "smoke: port $PORT is already in use"; exit 1; fi
# its own process group, so that stopping it stops npm and the node server under it
DATA_DIR="$DATA/db" PORT=$PORT AFTERCARE_ADMIN_KEY=$KEY setsid npm start >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -- -$SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 90); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 1; done
curl -sf "localhost:$PORT/health/ready" >/dev/null || { cat "$LOG"; echo "smoke: server did not become ready"; exit 1; }

post() { curl -sf -X POST "localhost:$PORT$1" -H "Authorization: Bearer $2" -H 'content-type: application/json' -d "$3"; }
field() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=$1;if(v===undefined||v===null){console.error('missing in: '+s);process.exit(1)}console.log(v)})"; }

ORG=$(post /api/v1/organizations "$KEY" '{"name":"Smoke Appliances","kind":"MANUFACTURER"}' | field 'JSON.parse(s).id')
MKEY=$(post /api/v1/api-keys "$KEY" "{\"organizationId\":\"$ORG\",\"name\":\"smoke\",\"role\":\"STAFF\"}" | field 'JSON.parse(s).secret')
post /api/v1/products "$MKEY" '{"sku":"SMOKE-1","name":"Smoke fridge","category":"FRIDGE","warrantyTerms":{"durationMonths":24,"startsFrom":"PURCHASE_DATE","coverageTypes":["PARTS","LABOR"]}}' >/dev/null
UNIT=$(post /api/v1/units "$MKEY" '{"sku":"SMOKE-1","serialNumber":"SMOKE-SN-1","purchaseDate":"2026-01-15"}' | field 'JSON.parse(s).id')
STATUS=$(curl -sf "localhost:$PORT/graphql" -H "Authorization: Bearer $MKEY" -H 'content-type: application/json' \
  -d "{\"query\":\"{ unit(id: \\\"$UNIT\\\") { status serialNumber } }\"}" | field 'JSON.parse(s).data.unit.status')
[ "$STATUS" = "ACTIVE" ] || { echo "smoke: unexpected status $STATUS"; exit 1; }
echo "smoke: 1 passed, 0 failed (registered unit $UNIT on the embedded database)"
