import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CallbackEndpoints, DeliveryReader } from "@flyt/callbacks";
import { PostgresFileStore } from "@flyt/file-store";
import { createLogger, type Logger } from "@flyt/logging";
import {
  AuditLog,
  DestinationChecks,
  inRegistryTransaction,
  RegistryStore,
  registryStores,
} from "@flyt/registry";
import { StatusReader } from "@flyt/status-read-model";
import type { Knex } from "knex";
import type Koa from "koa";
import type { RateLimitOptions } from "./adapters/http/rate-limit";
import { callbackAdminDependencies } from "./adapters/postgres/callback-admin";
import { IdempotencyStore } from "./adapters/postgres/idempotency-store";
import { IntakeStore } from "./adapters/postgres/intake-store";
import { operatorStores } from "./adapters/postgres/operator-action-store";
import { StatusPolling } from "./adapters/postgres/status-polling";
import type { AppDependencies } from "./app";
import { prefixedUlid } from "./domain/ids";
import type { CallbackDeliveryDependencies, DispatcherRequest } from "./handlers/callback-deliveries";
import type { CallbackDependencies } from "./handlers/callbacks";
import type { DestinationCheckDependencies } from "./handlers/check-destinations";
import type { OperatorDependencies } from "./handlers/operate-submissions";
import type { SubmitDependencies } from "./handlers/submit";

/** Test data: the gateway's dependencies over one database and a local authorization server. */
export function testAppDependencies(options: {
  readonly db: Knex;
  readonly oauth: { readonly issuer: string; readonly jwksUri: string };
  readonly audience: string;
  readonly publish: SubmitDependencies["publish"];
  /** Where operator actions publish; by default nowhere (a test of them passes a Kafka producer). */
  readonly publishOperatorEvents?: OperatorDependencies["publish"];
  readonly checkUrl?: CallbackDependencies["checkUrl"];
  readonly secretOverlapMs?: number;
  readonly uploadLimitBytes?: number;
  readonly stalePendingMs?: number;
  readonly openApi?: object;
  /** The admin API's limit per admin client (generous unless a test floods it). */
  readonly adminRateLimit?: RateLimitOptions;
  /** Where the app logs (silent unless a test reads what was logged). */
  readonly logger?: Logger;
  /** Where requests for destination checks go (nowhere in most tests). */
  readonly destinationCheckRequests?: DestinationCheckDependencies["request"];
  /** Where requests to the callback dispatcher go (a list in most tests; Kafka in some). */
  readonly callbackRequests?: (request: DispatcherRequest) => Promise<void>;
}): AppDependencies {
  const { db } = options;
  const silent = createLogger({ service: "gateway-test", level: "silent" });
  const store = new RegistryStore(db);
  const intake = new IntakeStore(db);
  const files = new PostgresFileStore(db);
  const newId = (prefix: string) => () => prefixedUlid(prefix, Date.now(), randomBytes(10));
  const callbackDeliveries: CallbackDeliveryDependencies = {
    endpoints: new CallbackEndpoints(db),
    deliveries: new DeliveryReader(db),
    newDeliveryId: randomUUID,
    request: options.callbackRequests ?? (async () => {}),
  };
  return {
    logger: options.logger ?? silent,
    checks: [],
    isShuttingDown: () => false,
    auth: {
      issuer: options.oauth.issuer,
      audience: options.audience,
      jwksUri: options.oauth.jwksUri,
      environment: "test",
      clients: store,
    },
    rateLimit: { burst: 1_000, perSecond: 1_000 },
    admin: {
      role: "flyt.admin",
      rateLimit: options.adminRateLimit ?? { burst: 1_000, perSecond: 1_000 },
      stores: registryStores(db),
      inTransaction: (work) => inRegistryTransaction(db, work),
      submissions: new StatusReader(db),
    },
    operations: {
      ...operatorStores(db),
      statuses: new StatusReader(db),
      intake,
      publish: options.publishOperatorEvents ?? {
        received: () => Promise.reject(new Error("operator actions publish nothing in this test")),
        resolved: () => Promise.reject(new Error("operator actions publish nothing in this test")),
      },
      newCorrelationId: randomUUID,
      now: () => new Date(),
    },
    callbackAdmin: callbackAdminDependencies(db, callbackDeliveries),
    destinationChecks: {
      destinations: (tenantId) => store.destinations(tenantId),
      checks: new DestinationChecks(db),
      request: options.destinationCheckRequests ?? (async () => {}),
      audit: (destination, actor, details) =>
        new AuditLog(db).recordForDestination({
          actor,
          action: "destination.check-requested",
          tenantId: destination.tenantId,
          destinationId: destination.id,
          details,
        }),
      newCheckId: randomUUID,
      now: () => new Date(),
    },
    openApi: options.openApi ?? {},
    api: {
      bodyLimitBytes: 1_000_000,
      newCorrelationId: randomUUID,
      polling: new StatusPolling(db),
      upload: { files, newFileId: newId("file"), limitBytes: options.uploadLimitBytes ?? 1_000 },
      idempotency: new IdempotencyStore(db, { inFlightMs: 30_000, now: () => new Date() }),
      callbackDeliveries,
      callbacks: {
        store: new CallbackEndpoints(db),
        checkUrl:
          options.checkUrl ??
          (async () => ({ outcome: "refused", reason: "not in these tests", detail: "not in these tests" })),
        secretOverlapMs: options.secretOverlapMs ?? 1,
        now: () => new Date(),
        logger: options.logger ?? silent,
      },
      submit: {
        integrations: store,
        intake,
        files,
        publish: options.publish,
        ids: { submission: newId("sub"), file: newId("file") },
        now: () => new Date(),
        stalePendingMs: options.stalePendingMs ?? 30_000,
        logger: options.logger ?? silent,
      },
    },
  };
}

/** Serves the app on a free loopback port. */
export async function listen(app: Koa): Promise<{ readonly base: string; close(): Promise<void> }> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
