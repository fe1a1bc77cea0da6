# The whole workspace, for one-shot operational scripts (topics:deploy, admin) and the local OAuth server.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci
ENV TURBO_TELEMETRY_DISABLED=1
