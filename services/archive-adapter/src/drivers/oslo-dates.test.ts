import { PermanentError } from "@flyt/errors";
import { describe, expect, it } from "vitest";
import { archiveInstant, osloCalendarDay, osloMidnight } from "./oslo-dates";

/** xs:dateTime with a zone, as the fake and the reference server require. */
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe("osloMidnight", () => {
  it("sends a day as Oslo's midnight with that night's offset", () => {
    expect(osloMidnight("2026-02-27")).toBe("2026-02-27T00:00:00+01:00");
    expect(osloMidnight("2026-07-01")).toBe("2026-07-01T00:00:00+02:00");
    // Clocks change at 02:00/03:00 local: midnight of the change day still has the old offset.
    expect(osloMidnight("2026-03-29")).toBe("2026-03-29T00:00:00+01:00");
    expect(osloMidnight("2026-03-30")).toBe("2026-03-30T00:00:00+02:00");
    expect(osloMidnight("2026-10-25")).toBe("2026-10-25T00:00:00+02:00");
    expect(osloMidnight("2026-10-26")).toBe("2026-10-26T00:00:00+01:00");
  });

  it("is the same day in Norway and a full datetime with a zone", () => {
    for (const day of ["2026-01-05", "2026-06-21", "2026-12-31"]) {
      const sent = osloMidnight(day);
      expect(sent).toMatch(ZONED_DATE_TIME);
      const shownInOslo = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Oslo" }).format(
        new Date(sent),
      );
      expect(shownInOslo).toBe(day);
    }
  });

  it("refuses what is not a calendar day", () => {
    for (const bad of ["2026-02-30", "2026-1-5", "2026-01-05Z", "05.01.2026", ""]) {
      expect(() => osloMidnight(bad), bad).toThrow(PermanentError);
    }
  });
});

describe("osloCalendarDay", () => {
  it("is the day in Norway an archive's date names, however it serialises the day's midnight", () => {
    expect(osloCalendarDay("2026-03-01T23:00:00Z")).toBe("2026-03-02");
    expect(osloCalendarDay("2026-07-01T22:00:00Z")).toBe("2026-07-02");
    expect(osloCalendarDay("2026-03-02T00:00:00Z")).toBe("2026-03-02");
    expect(osloCalendarDay("2026-03-02T00:00:00+01:00")).toBe("2026-03-02");
    expect(osloCalendarDay("2026-03-02T00:00:00")).toBe("2026-03-02");
    expect(osloCalendarDay("2026-03-02")).toBe("2026-03-02");
    expect(osloCalendarDay("ikke en dato")).toBeUndefined();
    expect(osloCalendarDay(undefined)).toBeUndefined();
  });
});

describe("archiveInstant", () => {
  it("reads a time without an offset as Norwegian local time, one with an offset as it says", () => {
    expect(archiveInstant("2026-01-15T10:00:00")).toBe(Date.parse("2026-01-15T09:00:00Z"));
    expect(archiveInstant("2026-07-15T10:00:00.250")).toBe(Date.parse("2026-07-15T08:00:00.250Z"));
    // Just after the spring clock change (01:00 UTC): 03:30 local is summer time.
    expect(archiveInstant("2026-03-29T03:30:00")).toBe(Date.parse("2026-03-29T01:30:00Z"));
    expect(archiveInstant("2026-01-15T10:00:00Z")).toBe(Date.parse("2026-01-15T10:00:00Z"));
    expect(archiveInstant("2026-01-15T10:00:00+02:00")).toBe(Date.parse("2026-01-15T08:00:00Z"));
    expect(archiveInstant("i går")).toBeNaN();
    expect(archiveInstant(undefined)).toBeNaN();
  });
});
