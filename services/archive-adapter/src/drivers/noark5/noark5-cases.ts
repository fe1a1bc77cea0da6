import type { Arkivsak, Klassering } from "@flyt/schemas";
import { ArchiveRefusedError } from "../archive-errors";
import { findLink, type Noark5Object } from "./links";
import {
  type BusinessMetadataFields,
  caseCriterionCondition,
  codeOf,
  completedPatch,
  isCompleted,
  partBody,
  type ScreeningSettings,
  saksmappeBody,
  systemIdOf,
} from "./noark5-mapping";
import type { Located, Noark5Navigator } from "./noark5-navigator";
import { REL } from "./noark5-relations";
import { addScreeningMetadata } from "./noark5-screening";
import { allOf, equals } from "./odata-filter";

/** Saksmapper in the archive: finding them, and creating one with its parties. */
export interface Noark5Cases {
  /** The saksmappe created with this external id, finished or not. */
  findByExternalId(externalId: string): Promise<Located | undefined>;
  byNumber(caseNumber: string): Promise<Located | undefined>;
  /** A saksmappe by systemID: from this driver's memory, else by asking the archive. */
  bySystemId(systemId: string): Promise<Located>;
  search(criteria: Readonly<Record<string, string>>): Promise<Located[]>;
  /** The title of the arkivdel a saksmappe sits in (how Flyt names an arkivdel), if the archive says. */
  arkivdelOf(saksmappe: Located): Promise<string | undefined>;
  /** Creates the saksmappe, or finishes one an earlier attempt left unfinished. Returns it finished. */
  createOrFinish(arkivsak: Arkivsak, externalId: string): Promise<Located>;
}

/** How many saksmapper, arkivdeler and klasser are kept between calls (the most recently used). */
const REMEMBERED = 1000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > REMEMBERED) cache.delete(cache.keys().next().value as string);
  return value;
}

export function createNoark5Cases(options: {
  readonly navigator: Noark5Navigator;
  readonly fields: BusinessMetadataFields;
  readonly screening: ScreeningSettings;
  readonly defaultArkivdel: string | undefined;
}): Noark5Cases {
  const { navigator, fields, screening } = options;
  const saksmapper = new Map<string, Located>();
  const arkivdeler = new Map<string, Located>();
  const klasser = new Map<string, Located>();
  /** Arkivdel titles by the href a saksmappe links to them with. */
  const arkivdelTitles = new Map<string, string | undefined>();

  async function searchSaksmapper(filter: string, purpose: string): Promise<Located[]> {
    const sakarkiv = await navigator.entryPoint(REL.sakarkiv);
    const found = await navigator.list(sakarkiv, REL.saksmappe, filter, purpose);
    for (const saksmappe of found) remember(saksmapper, systemIdOf(saksmappe.body, "saksmappe"), saksmappe);
    return found;
  }

  async function arkivdelNamed(name: string): Promise<Located> {
    const known = arkivdeler.get(name);
    if (known) return known;
    const arkivstruktur = await navigator.entryPoint(REL.arkivstruktur);
    // Flyt names an arkivdel by its title (`SAK`), which is what an archivist sees too.
    const found = await navigator.list(
      arkivstruktur,
      REL.arkivdel,
      equals("tittel", name),
      "arkivdel search",
    );
    const [arkivdel, ...others] = found;
    if (!arkivdel) throw new ArchiveRefusedError(`the archive has no arkivdel "${name}"`);
    if (others.length > 0)
      throw new ArchiveRefusedError(`the archive has ${found.length} arkivdeler "${name}"`);
    return remember(arkivdeler, name, arkivdel);
  }

  function matchesPrinciple(system: Noark5Object, principle: string): boolean {
    return system.tittel === principle || codeOf(system, "klassifikasjonstype") === principle;
  }

  /**
   * The klasse a case is classified under, in the arkivdel's classification system for the klassering's
   * principle (GBNR, ORGNR, ...); created when the value is new, as object-based systems (a property, a
   * person) grow one class per object.
   */
  async function klasseFor(
    arkivdel: Located,
    arkivdelName: string,
    klassering: Klassering,
  ): Promise<Located> {
    const key = `${arkivdelName}\u0000${klassering.ordningsprinsipp}\u0000${klassering.ordningsverdi}`;
    const known = klasser.get(key);
    if (known) return known;
    const systems = await navigator.list(
      arkivdel,
      REL.klassifikasjonssystem,
      undefined,
      `klassifikasjonssystem of arkivdel "${arkivdelName}"`,
    );
    const system = systems.find((candidate) => matchesPrinciple(candidate.body, klassering.ordningsprinsipp));
    if (!system) {
      throw new ArchiveRefusedError(
        `arkivdel "${arkivdelName}" has no klassifikasjonssystem "${klassering.ordningsprinsipp}"`,
      );
    }
    const [existing] = await navigator.list(
      system,
      REL.klasse,
      equals("klasseID", klassering.ordningsverdi),
      `klasse ${klassering.ordningsprinsipp} ${klassering.ordningsverdi}`,
    );
    const klasse =
      existing ??
      (await navigator.create(
        system,
        REL.nyKlasse,
        { klasseID: klassering.ordningsverdi, tittel: klassering.beskrivelse ?? klassering.ordningsverdi },
        `ny-klasse ${klassering.ordningsprinsipp} ${klassering.ordningsverdi}`,
      ));
    return remember(klasser, key, klasse);
  }

  /**
   * Where a new saksmappe is made: under its primary klasse when it has a klassering (a mappe's primary class
   * is where it sits in the arkivdel's classification, requirement 5.4.14), else directly under the arkivdel.
   */
  async function parentOf(arkivsak: Arkivsak): Promise<Located> {
    const name = arkivsak.arkivdel ?? options.defaultArkivdel;
    if (!name) throw new ArchiveRefusedError("the case names no arkivdel and the driver has no default");
    const arkivdel = await arkivdelNamed(name);
    const [primary] = arkivsak.klassering;
    return primary ? klasseFor(arkivdel, name, primary) : arkivdel;
  }

  /** The parties a saksmappe lacks: all of them when new, those not found by name when finishing one. */
  async function addParties(saksmappe: Located, arkivsak: Arkivsak, resuming: boolean): Promise<void> {
    const existing = resuming
      ? await navigator.list(saksmappe, REL.part, undefined, "parts of the saksmappe")
      : [];
    const names = new Set(existing.map((part) => part.body.navn));
    for (const part of arkivsak.part) {
      if (names.has(part.navn)) continue;
      const { kind, body } = partBody(part);
      await navigator.create(
        saksmappe,
        kind === "enhet" ? REL.nyPartenhet : REL.nyPartperson,
        body,
        "ny-part",
      );
    }
  }

  const cases: Noark5Cases = {
    async findByExternalId(externalId) {
      const [found] = await searchSaksmapper(
        equals(fields.externalId, externalId),
        "saksmappe by external id",
      );
      return found;
    },
    async byNumber(caseNumber) {
      const [found] = await searchSaksmapper(equals("mappeID", caseNumber), "saksmappe by mappeID");
      return found;
    },
    async bySystemId(systemId) {
      const known = saksmapper.get(systemId);
      if (known) return known;
      const [found] = await searchSaksmapper(equals("systemID", systemId), "saksmappe by systemID");
      if (!found) throw new ArchiveRefusedError(`the archive has no saksmappe with systemID ${systemId}`);
      return found;
    },
    async search(criteria) {
      const conditions: string[] = [];
      for (const [criterion, value] of Object.entries(criteria)) {
        if (criterion === "arkivdel") {
          const arkivdel = await arkivdelNamed(value);
          conditions.push(equals("arkivdel/systemID", systemIdOf(arkivdel.body, "arkivdel")));
        } else {
          conditions.push(caseCriterionCondition(criterion, value));
        }
      }
      if (conditions.length === 0)
        throw new ArchiveRefusedError("a case search needs at least one criterion");
      return searchSaksmapper(allOf(conditions), "saksmappe search");
    },
    async arkivdelOf(saksmappe) {
      const href = findLink(saksmappe.body, REL.arkivdel)?.href;
      if (!href) return undefined;
      if (arkivdelTitles.has(href)) return arkivdelTitles.get(href);
      const arkivdel = await navigator.follow(saksmappe, REL.arkivdel, "the saksmappe's arkivdel");
      const tittel = arkivdel && typeof arkivdel.body.tittel === "string" ? arkivdel.body.tittel : undefined;
      return remember(arkivdelTitles, href, tittel);
    },
    async createOrFinish(arkivsak, externalId) {
      const unfinished = await cases.findByExternalId(externalId);
      if (unfinished && isCompleted(unfinished.body, fields)) return unfinished;
      const saksmappe =
        unfinished ??
        (await navigator.create(
          await parentOf(arkivsak),
          REL.nySaksmappe,
          saksmappeBody(arkivsak, externalId, fields, screening),
          "ny-saksmappe",
        ));
      const resuming = unfinished !== undefined;
      await addScreeningMetadata(
        navigator,
        saksmappe,
        arkivsak.skjerming,
        screening.saksmappe,
        screening,
        resuming,
      );
      await addParties(saksmappe, arkivsak, resuming);
      const finished = await navigator.patch(saksmappe, completedPatch(fields), "the saksmappe");
      return remember(saksmapper, systemIdOf(finished.body, "saksmappe"), finished);
    },
  };
  return cases;
}
