import { createHash } from "node:crypto";
import { join } from "node:path";

/** Where the embedded cluster's data and the binaries it runs from are. */
export interface EmbeddedPostgresLayout {
  readonly dataDir: string;
  /** The binaries' folder (`bin`, `lib`, `share`). */
  readonly nativeDir: string;
  /** As root: the folder of this state dir's cluster outside the checkout, which the `postgres` user can reach. */
  readonly runtimeDir?: string;
}

/**
 * Postgres will not run as root, so as root it runs as the `postgres` user, which must reach its binaries and its
 * data through every folder above them. A checkout under `/root` (mode 700) is out of its reach, and we do not
 * open up someone's home folder: as root, the data and a copy of the binaries live in a folder of their own under
 * `runtimeBase` (`/var/lib/flyt`: kept across reboots, only root may write it, see `trusted-dirs.ts`), one per
 * state dir and binaries version.
 * Otherwise both stay where they are: in the state dir and in node_modules.
 */
export function embeddedPostgresLayout(options: {
  readonly stateDir: string;
  readonly asRoot: boolean;
  readonly runtimeBase: string;
  readonly packagedNativeDir: string;
  readonly binariesVersion: string;
}): EmbeddedPostgresLayout {
  if (!options.asRoot) {
    return { dataDir: join(options.stateDir, "postgres", "data"), nativeDir: options.packagedNativeDir };
  }
  const stateDirHash = createHash("sha256").update(options.stateDir).digest("hex").slice(0, 12);
  const runtimeDir = join(options.runtimeBase, `postgres-${stateDirHash}`);
  return {
    dataDir: join(runtimeDir, "data"),
    nativeDir: join(runtimeDir, `native-${options.binariesVersion}`),
    runtimeDir,
  };
}
