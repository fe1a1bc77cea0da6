import { PermanentError } from "@flyt/errors";
import { describe, expect, it } from "vitest";
import { osloMidnight } from "./noark5-dates";

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
