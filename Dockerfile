# syntax=docker/dockerfile:1
#
# Image of the housing workflow app (API, staff screens, external-task workers). It runs against
# an existing process engine and PostgreSQL (ENGINE_REST_URL + ENGINE_USER + ENGINE_PASSWORD,
# DATABASE_URL): it never starts an engine or a database of its own, so the image has no Java.
# The engine has its own image (engine/Dockerfile). See docs/deployment.md.
#
#   docker build -t az-housing-workflow .
#
# The official Node image provides Node 24. The `node` package in package.json (which gives npm
# scripts their Node 24 on developer machines) is installed with --ignore-scripts, so it does not
# download a second Node binary; nothing here runs npm scripts.
#
# Dependencies come from package-lock.json. `npm ci` is tried first; while the committed lock
# lacks the optional platform packages of @swc/core and @unrs/resolver-binding (npm ci then
# reports it "out of sync"), `npm install --no-save` is used instead: with the lock present it
# installs exactly the locked versions (checked package by package). Regenerating the lock with
# `npm install` makes the fallback unnecessary.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, TypeScript -> dist/ ----------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 || { echo 'npm ci refused package-lock.json; installing the locked versions with npm install' >&2; \
      npm install --no-save --ignore-scripts --no-audit --no-fund; }
COPY . .
# Same as `npm run build` (tsc, then the staff screens with Vite into dist/web), without npm scripts.
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json \
 && node node_modules/vite/bin/vite.js build

# ---- prod-deps: production dependencies only -----------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN { npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
   || { echo 'npm ci refused package-lock.json; installing the locked versions with npm install' >&2; \
        npm install --omit=dev --no-save --ignore-scripts --no-audit --no-fund; }; } \
 && npm cache clean --force

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# The project root is the folder with package.json: migrations (src/db/migrations), workflows/
# and .bpmnlintrc are read from it at run time. Code and models stay owned by root (read-only for
# the app); only var/ (DATA_DIR default) is writable by the unprivileged `node` user.
COPY --from=build /app/package.json /app/.bpmnlintrc ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/workflows ./workflows
COPY --from=build /app/src/db/migrations ./src/db/migrations
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
