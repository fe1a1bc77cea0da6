import { startServiceRuntime } from "@flyt/service-runtime";
import { loadConfig } from "./config";

// The service's own work comes in its issue; until then it starts, reports health and stops cleanly.
await startServiceRuntime("archive-adapter", loadConfig());
