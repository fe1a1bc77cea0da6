import type { Skjerming } from "@flyt/schemas";
import { ArchiveRefusedError } from "../archive-errors";
import {
  codeOf,
  NIKITA_NEW_SCREENING_METADATA,
  NIKITA_SCREENING_METADATA,
  type ScreeningSettings,
} from "./noark5-mapping";
import type { Located, Noark5Navigator } from "./noark5-navigator";

/**
 * A screened object's skjermingMetadata on a server that takes them through a relation of their own rather than
 * inside `skjerming` (ScreeningSettings `relation`): one POST per code to the object's ny-skjermingmetadata link,
 * after the object exists. When finishing an object an earlier attempt began, the codes it already has are left.
 */
export async function addScreeningMetadata(
  navigator: Noark5Navigator,
  object: Located,
  skjerming: Skjerming | null,
  codes: readonly string[],
  settings: ScreeningSettings,
  resuming: boolean,
): Promise<void> {
  if (!skjerming || settings.form !== "relation" || codes.length === 0) return;
  const existing = resuming
    ? await navigator.list(object, NIKITA_SCREENING_METADATA, undefined, "skjermingMetadata of the object")
    : [];
  const present = new Set(existing.map((entry) => codeOf(entry.body, "kode")));
  for (const code of codes) {
    if (present.has(code)) continue;
    try {
      await navigator.create(object, NIKITA_NEW_SCREENING_METADATA, { kode: code }, "ny-skjermingmetadata");
    } catch (error) {
      if (!(error instanceof ArchiveRefusedError)) throw error;
      throw new ArchiveRefusedError(
        `${error.archiveMessage} (screening is set to add skjermingMetadata through ny-skjermingmetadata; check the destination's screening form)`,
        error.status === undefined ? {} : { status: error.status },
      );
    }
  }
}
