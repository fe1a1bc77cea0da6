import { describe, expect, it } from "vitest";
import { clientListSchema } from "./client-list";

describe("clientListSchema", () => {
  it("reads id:secret pairs, and the roles after a second colon", () => {
    expect(
      clientListSchema.parse(
        "demo-vigo-test:demo-secret-vigo, flyt-platform-admin:admin-secret:flyt.admin+flyt.reader",
      ),
    ).toEqual([
      { clientId: "demo-vigo-test", clientSecret: "demo-secret-vigo", roles: [] },
      { clientId: "flyt-platform-admin", clientSecret: "admin-secret", roles: ["flyt.admin", "flyt.reader"] },
    ]);
  });

  it("refuses a short secret, an empty role and a role with a colon", () => {
    for (const bad of [
      "a:short",
      "a:long-enough-secret:",
      "a:long-enough-secret:admin+",
      "a:long-enough-secret:x:y",
    ])
      expect(clientListSchema.safeParse(bad).success, bad).toBe(false);
  });
});
