# One image recipe for every Flyt service:
#   docker build --build-arg SERVICE=gateway -f deploy/docker/service.Dockerfile .
# Workspace libs are bundled into dist/main.js; third-party packages come from the pruned node_modules.
FROM node:20-bookworm-slim AS build
ARG SERVICE=gateway
WORKDIR /app
COPY . .
RUN npm ci \
 && npx turbo run build --filter=@flyt/${SERVICE} \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ARG SERVICE=gateway
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/services/${SERVICE}/package.json services/${SERVICE}/package.json
COPY --from=build /app/services/${SERVICE}/dist services/${SERVICE}/dist
USER node
WORKDIR /app/services/${SERVICE}
CMD ["node", "--enable-source-maps", "dist/main.js"]
