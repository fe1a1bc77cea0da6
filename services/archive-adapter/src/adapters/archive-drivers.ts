import { TransientError } from "@flyt/errors";
import type { PostgresFileStore } from "@flyt/file-store";
import { Semaphore } from "@flyt/kafka";
import type { Logger } from "@flyt/logging";
import type { ArchiveDestination } from "@flyt/schemas";
import type { Knex } from "knex";
import { CircuitBreaker } from "../archiving/circuit-breaker";
import { guardedDriver } from "../archiving/guarded-driver";
import type { ArchiveAdapterConfig } from "../config";
import type { ArchiveDriver } from "../drivers/archive-driver";
import { createFintDriver } from "../drivers/fint/fint-driver";
import { createNoark5Driver } from "../drivers/noark5/noark5-driver";
import { DeclaredOutages } from "../drivers/simulator/declared-outages";
import { SimulatedArchive, wellBehaved } from "../drivers/simulator/simulated-archive";
import type { ArchiveConnections } from "./archive-connections";
import { postgresUploadSessions } from "./postgres/noark5-upload-sessions";

/** An archive destination this deployment has no connection settings for: it waits until an operator adds them. */
export class NotConnectedError extends TransientError {}

export interface ArchiveDriversOptions {
  readonly db: Knex;
  readonly config: Pick<ArchiveAdapterConfig, "archive" | "simulator">;
  readonly connections: ArchiveConnections;
  readonly fileStore: PostgresFileStore;
  readonly logger: Logger;
  /**
   * A destination's archive is worth calling again after an outage (its circuit closed, or its trial is due): the
   * submissions waiting for it should go now.
   */
  readonly onArchiveCallable?: (destinationId: string) => void;
}

/**
 * The driver of each archive destination, made on first use by its driver kind (the simulator, or FINT and
 * Noark 5 from the connections file), each behind its own concurrency limit and circuit breaker.
 */
export function archiveDrivers(
  options: ArchiveDriversOptions,
): (destination: ArchiveDestination, tenantId: string) => ArchiveDriver {
  /** One driver per destination, each behind its own concurrency limit and circuit breaker. */
  const drivers = new Map<string, ArchiveDriver>();
  const connect = connector(options);
  function driverFor(destination: ArchiveDestination, tenantId: string): ArchiveDriver {
    let driver = drivers.get(destination.id);
    if (!driver) {
      const connected = connect(destination, tenantId);
      const { probe } = connected;
      driver = guardedDriver(
        connected,
        new Semaphore(options.config.archive.concurrencyPerDestination),
        new CircuitBreaker(destination.id, options.config.archive.circuit, {
          ...(probe ? { probe: () => probe.call(connected) } : {}),
          onCallable: () => {
            options.logger.info({ destination }, "archive destination callable again");
            options.onArchiveCallable?.(destination.id);
          },
        }),
      );
      drivers.set(destination.id, driver);
      options.logger.info({ destination }, "archive destination connected");
    }
    return driver;
  }
  return driverFor;
}

/**
 * A driver of its own for each connection check: outside the concurrency limit and circuit breaker of the
 * destination's submissions (a check never takes a slot they need, and is not refused by a circuit their
 * failures opened: it is asked how the archive is now), and with nothing cached (code lists and token read anew).
 */
export function archiveDriversForChecks(
  options: ArchiveDriversOptions,
): (destination: ArchiveDestination, tenantId: string) => ArchiveDriver {
  return connector(options);
}

/** Makes a destination's driver, unguarded, from its driver kind and connection settings. */
function connector(options: ArchiveDriversOptions) {
  const declaredOutages = new DeclaredOutages(options.db);
  /** `tenantId`: the county the destination belongs to (whose file store the driver may read again). */
  return function connect(destination: ArchiveDestination, tenantId: string): ArchiveDriver {
    if (destination.driver === "SIMULATOR") {
      const { misbehavingDestinations, ...behaviour } = options.config.simulator;
      const misbehaves =
        misbehavingDestinations.length === 0 || misbehavingDestinations.includes(destination.id);
      return new SimulatedArchive(
        options.db,
        destination.id,
        misbehaves ? behaviour : wellBehaved,
        declaredOutages,
      );
    }
    const connection = options.connections[destination.id];
    // Waits (retried, then failed when the budget is spent) rather than failing at once: an operator can add it.
    if (connection?.driver !== destination.driver) {
      throw new NotConnectedError(`no ${destination.driver} connection for destination ${destination.id}`);
    }
    switch (connection.driver) {
      case "FINT": {
        const { username, password, scope, ...client } = connection.oauth;
        const { driver: _fint, oauth: _oauth, adapter, ...settings } = connection;
        return createFintDriver({
          ...settings,
          ...(adapter ? { adapter } : {}),
          oauth: {
            ...client,
            ...(username && password ? { username, password } : {}),
            ...(scope ? { scope } : {}),
          },
        });
      }
      case "NOARK5": {
        const { scope, tokenUrl, ...client } = connection.oauth;
        return createNoark5Driver({
          baseUrl: connection.baseUrl,
          requestTimeoutMs: connection.requestTimeoutMs,
          oauth: { ...client, ...(scope ? { scope } : {}), ...(tokenUrl ? { tokenUrl } : {}) },
          screening: connection.screening,
          upload: connection.upload,
          // Noark 5 takes a file only once its journal post exists; after a restart the bytes come from here.
          contentOf: (file) => options.fileStore.contentForRestaging(tenantId, file.fileId),
          // A chunked upload cut off by a restart goes on where the archive acknowledged.
          uploadSessions: postgresUploadSessions(options.db, destination.id),
        });
      }
    }
  };
}
