# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, run with production ones only, as a non-root user.
ARG NODE_VERSION=26

# npm install (not ci) with the committed lockfile: see scripts/lib/vereisten.sh (npm/cli#9846).
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
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
