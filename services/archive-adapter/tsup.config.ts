import { defineConfig } from "tsup";

// Workspace libs (@flyt/*) are source packages and get bundled; every third-party package stays external
// and is loaded from node_modules at run time.
export default defineConfig({
  // The service, its connection check for a deployment's operators (`node dist/check-destination.js`), and the
  // simulated archive's outages, declared at once by the chaos suite (`node dist/simulator.js`).
  entry: {
    main: "src/main.ts",
    "check-destination": "scripts/check-destination.ts",
    simulator: "scripts/simulator.ts",
  },
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  clean: true,
  noExternal: [/^@flyt\//],
  external: [/^(?!@flyt\/)[^./]/],
});
