import { defineConfig } from "tsup";

// Workspace libs (@flyt/*) are source packages and get bundled; every third-party package stays external
// and is loaded from node_modules at run time.
export default defineConfig({
  entry: ["src/main.ts", "src/rebuild.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  noExternal: [/^@flyt\//],
  external: [/^(?!@flyt\/)[^./]/],
});
