import type { Logger } from "@flyt/logging";
import { isRunning, type ManagedProcess, readManaged } from "./process-control";
import { nextRestartDelay, type RestartBackoff, SERVICE_RESTART_BACKOFF } from "./restart-backoff";

/** A process already started under `name` (its PID file in the state dir), and how to start it again. */
export interface SupervisedProcess {
  readonly name: string;
  readonly start: () => Promise<ManagedProcess>;
}

export interface SupervisorOptions {
  readonly stateDir: string;
  readonly processes: readonly SupervisedProcess[];
  readonly logger: Logger;
  readonly backoff?: RestartBackoff;
  readonly checkEveryMs?: number;
  /** The clock uptimes are measured with. */
  readonly now?: () => number;
}

export interface Supervisor {
  /** Stops watching (a restart under way is finished first, so that whoever stops the processes sees it). */
  stop(): Promise<void>;
}

interface Watched {
  startedAt: number;
  previousDelayMs: number | undefined;
  /** A restart due: its timer, and once that fired, the start under way. */
  restart: { timer: NodeJS.Timeout; underWay: Promise<void> | undefined } | undefined;
}

/**
 * Keeps processes running: one that died is started again after a delay that grows while it keeps dying
 * (`RestartBackoff`), each restart logged. The others are left alone: one service's crash does not take a local
 * stack down.
 */
export function superviseProcesses(options: SupervisorOptions): Supervisor {
  const { stateDir, logger } = options;
  const backoff = options.backoff ?? SERVICE_RESTART_BACKOFF;
  const now = options.now ?? Date.now;
  const watched = new Map<string, Watched>(
    options.processes.map((supervised) => [
      supervised.name,
      { startedAt: now(), previousDelayMs: undefined, restart: undefined },
    ]),
  );
  let stopped = false;
  let nextCheck: NodeJS.Timeout | undefined;
  let checking: Promise<void> = Promise.resolve();

  const start = async (supervised: SupervisedProcess, state: Watched) => {
    try {
      const restarted = await supervised.start();
      state.startedAt = now();
      logger.info({ service: supervised.name, pid: restarted.pid }, "service restarted");
    } catch (error) {
      // Found dead again at the next check, and restarted after a longer delay: a failed start counts as one that
      // did not stay up, or restarts that keep failing for a minute would start over at the shortest delay.
      state.startedAt = now();
      logger.error({ service: supervised.name, err: error }, "service could not be restarted");
    } finally {
      state.restart = undefined;
    }
  };

  const restartLater = (
    supervised: SupervisedProcess,
    state: Watched,
    managed: ManagedProcess | undefined,
  ) => {
    const upForMs = now() - state.startedAt;
    const delayMs = nextRestartDelay(backoff, state.previousDelayMs, upForMs);
    state.previousDelayMs = delayMs;
    logger.warn(
      { service: supervised.name, upForMs, restartInMs: delayMs, log: managed?.logFile },
      "service exited; restarting it",
    );
    const restart: NonNullable<Watched["restart"]> = {
      timer: setTimeout(() => {
        restart.underWay = start(supervised, state);
      }, delayMs),
      underWay: undefined,
    };
    state.restart = restart;
  };

  const check = async () => {
    for (const supervised of options.processes) {
      const state = watched.get(supervised.name) as Watched;
      if (stopped || state.restart) continue;
      const managed = await readManaged(stateDir, supervised.name);
      if (!stopped && !(managed && isRunning(managed))) restartLater(supervised, state, managed);
    }
  };
  const scheduleCheck = () => {
    nextCheck = setTimeout(() => {
      checking = check().finally(() => {
        if (!stopped) scheduleCheck();
      });
    }, options.checkEveryMs ?? 1_000);
  };
  scheduleCheck();

  return {
    async stop() {
      stopped = true;
      clearTimeout(nextCheck);
      await checking;
      await Promise.all(
        [...watched.values()].map(async (state) => {
          const restart = state.restart;
          if (!restart) return;
          // A restart not begun never will be; one under way is finished, so that its process gets stopped.
          clearTimeout(restart.timer);
          await restart.underWay;
          state.restart = undefined;
        }),
      );
    },
  };
}
