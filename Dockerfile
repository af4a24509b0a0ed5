# syntax=docker/dockerfile:1
# Aftercare API: build with dev dependencies, run with production dependencies only, as a non-root
# user. Node 22 LTS by default; any Node the engines field allows works (--build-arg NODE_VERSION=24).
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# the embedded database's folder, used when no DATABASE_URL is given; owned by the unprivileged
# user the official image provides, so nothing in the container runs as root
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# readiness (the database answers too) with node itself: the slim image has no curl
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# as `npm run start:prod` (--disable-proto=delete), plus the tracing preload, which loads nothing
# unless OTEL_EXPORTER_OTLP_ENDPOINT is set; node is PID 1 and drains on SIGTERM itself
CMD ["node", "--disable-proto=delete", "--import", "./dist/telemetry/preload.js", "dist/main.js"]
