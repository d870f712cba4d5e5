# kpi-ledger's API and worker as compiled JavaScript, run as the unprivileged `node` user.
# One image for both: the API is the default command, the worker overrides it
# (docker/compose.yml runs both; see docker/README.md).
#
#   docker build -t kpi-ledger .
#   docker run --env-file .env -p 127.0.0.1:3000:3000 kpi-ledger
#
# `npm ci` installs exactly package-lock.json, and refuses a lock file that is out of step with
# package.json. The lock keeps every platform's optional packages (@swc/core-linux-arm64-gnu,
# …), so the build stage also works on arm64; scripts/install-if-needed.sh explains why a lock
# written with `omit-lockfile-registry-resolved` may lack them: rewrite it without that setting
# if `npm ci` here ever refuses it.
ARG NODE_VERSION=22

# --- build: every dependency, compile apps/ and libs/ to dist/ -----------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# --- runtime: production dependencies and dist/ only --------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# EXPORT_DIR's default: the export job (worker) writes bundles there, the API serves them; in
# docker/compose.yml a volume shared by both is mounted on it.
RUN mkdir -p var/exports && chown node:node var/exports
USER node
EXPOSE 3000
# docker/compose.yml checks the API's health at GET /health (the worker has no HTTP port).
# Stack traces name the TypeScript lines (dist/ carries source maps).
CMD ["node", "--enable-source-maps", "dist/apps/api/src/main.js"]
