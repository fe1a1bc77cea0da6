import { PermanentError } from "@flyt/errors";

/**
 * Dates as the tjenestegrensesnitt takes them. v1.1 made every date attribute a `datetime` ("Korrigert all bruk
 * av date til datetime", 01-orientering_og_introduksjon.rst:134–135 at tag versjon-1.1; e.g. journalpost
 * `dokumentetsDato`, 07-tjenester_og_informasjonsmodell.rst:6928–6934), always with a time zone
 * (06-konsepter_og_prinsipper.rst:1283–1287); the reference server parses them as ISO offset date-times and
 * refuses `2026-01-05` and `2026-01-05Z` (Nikita CommonUtils.java:558–560). Flyt's dates are calendar days,
 * so a day goes as its first instant in Norway: midnight Europe/Oslo, with that night's offset (+01:00 in winter,
 * +02:00 in summer). An archive showing the date in Norwegian time then shows the same day; UTC midnight would
 * be 01:00 or 02:00 the same day too, but a date with no offset at all could be read as any day.
 */
const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const osloOffset = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Oslo", timeZoneName: "longOffset" });

/**
 * The offset of Oslo at midnight of `day`. Norway changes clocks at 01:00 UTC, never between local midnight
 * (22:00 or 23:00 UTC the day before) and 00:00 UTC, so the offset at 00:00 UTC of the day is midnight's.
 */
function offsetAtMidnight(day: string): string {
  const name = osloOffset
    .formatToParts(new Date(`${day}T00:00:00Z`))
    .find((part) => part.type === "timeZoneName")?.value;
  const offset = name?.replace(/^GMT/, "") ?? "";
  if (offset === "") return "+00:00";
  if (!/^[+-]\d{2}:\d{2}$/.test(offset)) throw new Error(`unexpected Europe/Oslo offset ${name}`);
  return offset;
}

/** A calendar day (`2026-02-27`) as an xs:dateTime the archive takes: `2026-02-27T00:00:00+01:00`. */
export function osloMidnight(day: string): string {
  const match = CALENDAR_DAY.exec(day);
  const date = match ? new Date(`${day}T00:00:00Z`) : undefined;
  // A day that does not exist (2026-02-30) rolls over in Date: refused rather than sent as another day.
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new PermanentError(`"${day}" is not a calendar date (YYYY-MM-DD)`);
  }
  return `${day}T00:00:00${offsetAtMidnight(day)}`;
}
