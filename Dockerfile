# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, run with production ones only, as a non-root user.
ARG NODE_VERSION=26

# npm ci: exactly the committed lockfile, which lists every platform's optional packages.
# test/image.test.ts repeats these steps without Docker (it reads the COPY lines below).
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# tsconfig.build.json extends tsconfig.json; tsc needs both.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY dev ./dev
COPY vendor ./vendor
COPY scripts/lua-naar-dist.mjs ./scripts/
RUN npm run build

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY templates ./templates
COPY config ./config
# Config, certificates and the keyring are mounted at run time, never baked into the image.
ENV SIGNAALBRUG_CONFIG=/etc/signaalbrug/config.yaml
USER node
EXPOSE 8443 8444
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.OPS_PORT||9464)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/signaalbrug.js"]
CMD ["serve"]
