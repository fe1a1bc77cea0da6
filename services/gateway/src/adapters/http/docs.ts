import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Context, Middleware, Next } from "koa";

const assetsDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const assets: Record<string, string> = {
  "/docs/swagger-ui.css": "text/css; charset=utf-8",
  "/docs/swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Flyt source-system API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

const init = `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#api", deepLinking: true });`;

/**
 * `GET /api/v1/openapi.json` (the contract as OpenAPI 3.1) and `/docs` (the same, rendered for people with
 * Swagger UI from its npm package: no CDN, no inline script). Neither needs a token.
 */
export function apiDocs(openApi: object): Middleware {
  const document = JSON.stringify(openApi);
  return async function apiDocs(ctx: Context, next: Next) {
    if (ctx.method !== "GET") return next();
    if (ctx.path === "/api/v1/openapi.json") {
      ctx.type = "application/json";
      ctx.body = document;
      return;
    }
    if (ctx.path === "/docs" || ctx.path === "/docs/") {
      ctx.type = "text/html; charset=utf-8";
      ctx.set(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      );
      ctx.body = page;
      return;
    }
    if (ctx.path === "/docs/init.js") {
      ctx.type = "text/javascript; charset=utf-8";
      ctx.body = init;
      return;
    }
    const type = assets[ctx.path];
    if (type) {
      ctx.type = type;
      ctx.set("Cache-Control", "public, max-age=86400");
      ctx.body = await readFile(join(assetsDir, ctx.path.slice("/docs/".length)));
      return;
    }
    await next();
  };
}
