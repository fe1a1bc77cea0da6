import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@flyt/logging";
import { describe, expect, it } from "vitest";
import { type InfraBackends, resolveInfrastructure } from "./resolver";
import { loadSettings } from "./settings";

const logger = createLogger({ service: "test", level: "silent" });
const stateDir = join(tmpdir(), `flyt-resolver-test-${process.pid}`);

/** Backends that record what the resolver asked for instead of starting anything. */
function recordingBackends(world: { containerRuntime: boolean; localPostgres: boolean }) {
  const calls: string[] = [];
  const backends: InfraBackends = {
    containerRuntimeAnswers: async () => world.containerRuntime,
    startContainers: async () => {
      calls.push("start containers");
      return {
        kafkaBrokers: ["container:9093"],
        schemaRegistryUrl: "http://container:8080/apis/ccompat/v7",
        postgresUrl: "postgres://test@container:5432/test",
        stop: async () => {
          calls.push("stop containers");
        },
      };
    },
    postgresAnswers: async () => world.localPostgres,
    ensureEmbeddedPostgres: async () => {
      calls.push("start embedded postgres");
      return { url: "postgres://postgres:postgres@127.0.0.1:54329/postgres", startedHere: true };
    },
    ensureLocalKafka: async () => {
      calls.push("start kafka");
      return { brokers: ["127.0.0.1:9092"], startedHere: true };
    },
    ensureLocalRegistry: async (_settings, postgresUrl) => {
      calls.push(`start registry on ${postgresUrl}`);
      return { url: "http://127.0.0.1:8081/apis/ccompat/v7", startedHere: true };
    },
    stopLocal: async (_stateDir, name) => {
      calls.push(`stop ${name}`);
    },
    startReaper: (_stateDir, names) => {
      calls.push(`reaper for ${names.join(",")}`);
      return { kill: () => calls.push("reaper killed") };
    },
  };
  return { backends, calls };
}

const settingsWith = (env: Record<string, string> = {}) => loadSettings({ FLYT_STATE_DIR: stateDir, ...env });

describe("resolveInfrastructure", () => {
  it("uses explicit URLs from the environment and starts nothing", async () => {
    const { backends, calls } = recordingBackends({ containerRuntime: true, localPostgres: true });
    const infra = await resolveInfrastructure(
      {
        settings: settingsWith({
          KAFKA_BROKERS: "kafka.example:9092",
          SCHEMA_REGISTRY_URL: "http://registry.example/apis/ccompat/v7",
          DATABASE_URL: "postgres://flyt@db.example/flyt",
        }),
        logger,
      },
      backends,
    );
    expect(infra.kafkaBrokers).toEqual(["kafka.example:9092"]);
    expect(infra.provenance).toEqual({
      kafka: "environment",
      registry: "environment",
      postgres: "environment",
    });
    await infra.stop();
    expect(calls).toEqual([]);
  });

  it("prefers containers when a container runtime answers, keeping any explicit URL", async () => {
    const { backends, calls } = recordingBackends({ containerRuntime: true, localPostgres: true });
    const infra = await resolveInfrastructure(
      { settings: settingsWith({ DATABASE_URL: "postgres://flyt@db.example/flyt" }), logger },
      backends,
    );
    expect(infra.provenance).toEqual({ kafka: "container", registry: "container", postgres: "environment" });
    expect(infra.postgresUrl).toBe("postgres://flyt@db.example/flyt");
    await infra.stop();
    expect(calls).toEqual(["start containers", "stop containers"]);
  });

  it("falls back to local processes and the local Postgres server, and stops only what it started", async () => {
    const { backends, calls } = recordingBackends({ containerRuntime: false, localPostgres: true });
    const infra = await resolveInfrastructure(
      { settings: settingsWith(), logger, reapWithOwner: true },
      backends,
    );
    expect(infra.provenance).toEqual({
      kafka: "local-process",
      registry: "local-process",
      postgres: "local-server",
    });
    expect(infra.started).toEqual(["kafka", "registry"]);
    await infra.stop();
    expect(calls).toEqual([
      "start kafka",
      "start registry on postgres://postgres@127.0.0.1:5432/postgres",
      "reaper for kafka,registry",
      "reaper killed",
      "stop registry",
      "stop kafka",
    ]);
  });

  it("starts embedded Postgres when no server answers, and the registry stores its schemas there", async () => {
    const { backends, calls } = recordingBackends({ containerRuntime: false, localPostgres: false });
    const infra = await resolveInfrastructure({ settings: settingsWith(), logger }, backends);
    expect(infra.provenance.postgres).toBe("embedded");
    expect(calls).toContain("start registry on postgres://postgres:postgres@127.0.0.1:54329/postgres");
    expect(infra.started).toEqual(["postgres", "kafka", "registry"]);
  });

  it("never looks for containers when told to use local processes", async () => {
    const { backends, calls } = recordingBackends({ containerRuntime: true, localPostgres: true });
    const infra = await resolveInfrastructure(
      { settings: settingsWith({ FLYT_INFRA: "local" }), logger },
      backends,
    );
    expect(infra.provenance.kafka).toBe("local-process");
    expect(calls).not.toContain("start containers");
  });

  it("stops what it had started when a later component fails", async () => {
    const { backends, calls } = recordingBackends({ containerRuntime: false, localPostgres: true });
    backends.ensureLocalRegistry = async () => {
      throw new Error("no Java 21");
    };
    await expect(resolveInfrastructure({ settings: settingsWith(), logger }, backends)).rejects.toThrow(
      "no Java 21",
    );
    expect(calls).toEqual(["start kafka", "stop kafka"]);
  });
});
