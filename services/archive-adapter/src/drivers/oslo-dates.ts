import { PermanentError } from "@flyt/errors";

/**
 * Flyt's calendar days and the archives' times, in Norway's time: one rule for every driver.
 *
 * Noark 5: dates as the tjenestegrensesnitt takes them. v1.1 made every date attribute a `datetime` ("Korrigert all bruk
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
const osloDay = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Oslo" });

/** Oslo's offset from UTC at an instant, in minutes. */
function offsetMinutesAt(instant: Date): number {
  const name = osloOffset.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * The offset of Oslo at midnight of `day`. Norway changes clocks at 01:00 UTC, never between local midnight
 * (22:00 or 23:00 UTC the day before) and 00:00 UTC, so the offset at 00:00 UTC of the day is midnight's.
 */
function offsetAtMidnight(day: string): string {
  const minutes = offsetMinutesAt(new Date(`${day}T00:00:00Z`));
  const hours = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${hours}:${String(Math.abs(minutes) % 60).padStart(2, "0")}`;
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

/** A date-time that says its offset (or `Z`); one without is local time. */
const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/**
 * The instant an archive's date-time names (ms since the epoch), NaN when it names none. One without an offset is
 * Norwegian local time, as the archives keep it, never UTC.
 */
export function archiveInstant(text: string | undefined): number {
  if (text === undefined) return Number.NaN;
  if (ZONED.test(text)) return Date.parse(text);
  if (!LOCAL_DATE_TIME.test(text)) return Number.NaN;
  const asUtc = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text}Z`);
  if (Number.isNaN(asUtc)) return Number.NaN;
  // The offset at the local time read as UTC is off by at most the hour of a clock change: read it again there.
  const guess = asUtc - offsetMinutesAt(new Date(asUtc)) * 60_000;
  return asUtc - offsetMinutesAt(new Date(guess)) * 60_000;
}

/**
 * The calendar day in Norway that an archive's date names (`2026-03-02`), undefined when it names none: an
 * adapter serialises local midnight as UTC (`2026-03-01T23:00:00Z` for 2 March), a day alone is that day.
 */
export function osloCalendarDay(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (CALENDAR_DAY.test(text)) return text;
  const at = archiveInstant(text);
  return Number.isNaN(at) ? undefined : osloDay.format(new Date(at));
}
