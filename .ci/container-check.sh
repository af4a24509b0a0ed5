#!/usr/bin/env bash
# Checks the container files. With a container engine (docker info answers) it builds the image,
# starts the compose stack (PostgreSQL 15 and the app), waits for both healthchecks, and asks the
# app over HTTP; without one it lints Dockerfile, .dockerignore and compose.yaml instead
# (.ci/container-lint.mjs). Either way it says which of the two it did.
set -euo pipefail
cd "$(dirname "$0")/.."

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then docker-compose "$@"
  else echo "container-check: the engine answers but neither 'docker compose' nor docker-compose is installed" >&2; return 1
  fi
}

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  echo "container-check: LINT ONLY: no container engine answers (docker info failed), so the stack is not built or run"
  node .ci/container-lint.mjs
  exit 0
fi

echo "container-check: RUN: a container engine answers; building and starting the compose stack"
node .ci/container-lint.mjs
PROJECT="aftercare-check-$$"
PORT=${CONTAINER_CHECK_PORT:-$((3900 + RANDOM % 90))}
export AFTERCARE_PORT=$PORT
export AFTERCARE_ADMIN_KEY="ac_check_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
export POSTGRES_PASSWORD="check$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export METRICS_TOKEN="metrics_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
trap 'compose -p "$PROJECT" logs --no-color app 2>/dev/null | tail -50 || true; compose -p "$PROJECT" down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
# --wait returns once every service is healthy: the app's own HEALTHCHECK asks /health/ready
compose -p "$PROJECT" up -d --build --wait --wait-timeout 180

BASE="http://127.0.0.1:$PORT"
node --input-type=module -e "
const base = '$BASE';
const check = async (what, response, test) => {
  const body = await response.text();
  if (!test(response, body)) { console.error('container-check: ' + what + ' failed: ' + response.status + ' ' + body.slice(0, 500)); process.exit(1); }
};
await check('/health/ready', await fetch(base + '/health/ready'), (r) => r.ok);
await check('GraphQL me', await fetch(base + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + process.env.AFTERCARE_ADMIN_KEY }, body: JSON.stringify({ query: '{ me { role } }' }) }),
  (r, body) => r.ok && JSON.parse(body).data?.me?.role === 'ADMIN');
await check('/metrics without the token', await fetch(base + '/metrics'), (r) => r.status === 401);
await check('/metrics', await fetch(base + '/metrics', { headers: { authorization: 'Bearer ' + process.env.METRICS_TOKEN } }),
  (r, body) => r.ok && body.includes('aftercare_database_metrics_up 1'));
"
# the process must drain and stop on SIGTERM within the grace period, not be killed
compose -p "$PROJECT" stop -t 20 app
STATUS=$(docker inspect -f '{{.State.ExitCode}}' "$(compose -p "$PROJECT" ps -a -q app)")
[ "$STATUS" = "0" ] || { echo "container-check: the app exited with $STATUS on SIGTERM"; exit 1; }
echo "container-check: RUN passed: image built, stack healthy, API and /metrics answered, clean stop"
