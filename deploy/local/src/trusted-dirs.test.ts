import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  assertTrustedAncestors,
  ensureTrustedDir,
  type PathStats,
  pathProblem,
  UntrustedPathError,
  writeNewFile,
} from "./trusted-dirs";

const asRoot = process.getuid?.() === 0;
const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A folder of this test's own, with a victim folder holding a file, as something an attacker points at. */
async function scene() {
  const base = await mkdtemp(join(tmpdir(), "flyt-trusted-"));
  folders.push(base);
  await chmod(base, 0o755);
  const victim = join(base, "victim");
  await mkdir(victim, { mode: 0o755 });
  await writeFile(join(victim, "precious"), "keep me");
  return { base, victim };
}

async function expectUntouched(victim: string, before: { uid: number; mode: number }) {
  const after = await stat(victim);
  expect({ uid: after.uid, mode: after.mode }).toEqual(before);
  expect(await readFile(join(victim, "precious"), "utf8")).toBe("keep me");
}

const stats = (
  fields: Partial<{ uid: number; mode: number; kind: "directory" | "file" | "link" }>,
): PathStats => {
  const kind = fields.kind ?? "directory";
  return {
    uid: fields.uid ?? 0,
    mode: fields.mode ?? 0o755,
    isDirectory: () => kind === "directory",
    isFile: () => kind === "file",
    isSymbolicLink: () => kind === "link",
  };
};

describe("pathProblem", () => {
  it("trusts a real directory of an accepted owner that others cannot write", () => {
    expect(pathProblem(stats({}), { owners: [0] })).toBeUndefined();
    expect(pathProblem(stats({ uid: 999, mode: 0o700 }), { owners: [0, 999] })).toBeUndefined();
    expect(pathProblem(stats({ kind: "file", mode: 0o755 }), { owners: [0], kind: "file" })).toBeUndefined();
  });

  it.each([
    ["a symbolic link", stats({ kind: "link" }), /symbolic link/],
    ["a file where a folder belongs", stats({ kind: "file" }), /not a directory/],
    ["another user's folder", stats({ uid: 1000 }), /owned by uid 1000/],
    ["a folder the group may write", stats({ mode: 0o775 }), /writable by others/],
    ["a folder everyone may write", stats({ mode: 0o777 }), /writable by others/],
    [
      "a sticky folder everyone may write, used (not only passed)",
      stats({ mode: 0o1777 }),
      /writable by others/,
    ],
  ])("refuses %s", (_, found, reason) => {
    expect(pathProblem(found, { owners: [0] })).toMatch(reason);
  });

  it("lets a sticky folder everyone may write (/tmp) be passed through, but no other writable one", () => {
    expect(pathProblem(stats({ mode: 0o1777 }), { owners: [0], ancestor: true })).toBeUndefined();
    expect(pathProblem(stats({ mode: 0o777 }), { owners: [0], ancestor: true })).toMatch(
      /writable by others/,
    );
    expect(pathProblem(stats({ uid: 1000, mode: 0o1777 }), { owners: [0], ancestor: true })).toMatch(
      /uid 1000/,
    );
  });
});

describe("ensureTrustedDir", () => {
  const options = { owner: me, mode: 0o755, acceptedOwners: [me.uid] };

  it("makes a missing folder with the owner and mode asked, and accepts it again", async () => {
    const { base } = await scene();
    const made = join(base, "runtime");
    await ensureTrustedDir(made, { ...options, mode: 0o700 });
    await ensureTrustedDir(made, { ...options, mode: 0o700 });
    const found = await lstat(made);
    expect({ directory: found.isDirectory(), uid: found.uid, mode: found.mode & 0o7777 }).toEqual({
      directory: true,
      uid: me.uid,
      mode: 0o700,
    });
  });

  it("refuses a symbolic link planted in its place, and neither chowns nor chmods where it points", async () => {
    const { base, victim } = await scene();
    const before = await stat(victim);
    await symlink(victim, join(base, "data"));
    await expect(ensureTrustedDir(join(base, "data"), { ...options, mode: 0o700 })).rejects.toThrow(
      UntrustedPathError,
    );
    await expectUntouched(victim, { uid: before.uid, mode: before.mode });
  });

  it("refuses a folder others may write", async () => {
    const { base } = await scene();
    await mkdir(join(base, "open"));
    await chmod(join(base, "open"), 0o777);
    await expect(ensureTrustedDir(join(base, "open"), options)).rejects.toThrow(/writable by others/);
    expect((await lstat(join(base, "open"))).mode & 0o777).toBe(0o777);
  });

  it.runIf(asRoot)("refuses a folder another user made, and leaves it theirs", async () => {
    const { base } = await scene();
    await mkdir(join(base, "theirs"), { mode: 0o755 });
    await chown(join(base, "theirs"), 65_534, 65_534);
    await expect(
      ensureTrustedDir(join(base, "theirs"), { owner: { uid: 0, gid: 0 }, mode: 0o755, acceptedOwners: [0] }),
    ).rejects.toThrow(/owned by uid 65534/);
    expect((await lstat(join(base, "theirs"))).uid).toBe(65_534);
  });
});

describe("assertTrustedAncestors", () => {
  it("refuses a path through a symbolic link", async () => {
    const { base, victim } = await scene();
    await symlink(victim, join(base, "link"));
    await expect(assertTrustedAncestors(join(base, "link", "precious"))).rejects.toThrow(/symbolic link/);
  });

  it.runIf(asRoot)("passes root's folders and a sticky /tmp, and refuses one another user owns", async () => {
    const { base } = await scene();
    await assertTrustedAncestors(base);
    await mkdir(join(base, "theirs"), { mode: 0o755 });
    await chown(join(base, "theirs"), 65_534, 65_534);
    await mkdir(join(base, "theirs", "below"), { mode: 0o755 });
    await expect(assertTrustedAncestors(join(base, "theirs", "below"))).rejects.toThrow(/owned by uid 65534/);
  });
});

describe("writeNewFile", () => {
  it("writes a new file with the mode asked", async () => {
    const { base } = await scene();
    await writeNewFile(join(base, "secret"), "s3cret\n", { owner: me, mode: 0o600 });
    expect(await readFile(join(base, "secret"), "utf8")).toBe("s3cret\n");
    expect((await lstat(join(base, "secret"))).mode & 0o777).toBe(0o600);
  });

  it("refuses to write through a symbolic link planted at its name", async () => {
    const { base, victim } = await scene();
    await symlink(join(victim, "precious"), join(base, "secret"));
    await expect(writeNewFile(join(base, "secret"), "s3cret\n", { owner: me, mode: 0o600 })).rejects.toThrow(
      /EEXIST/,
    );
    const before = await stat(victim);
    await expectUntouched(victim, { uid: before.uid, mode: before.mode });
  });
});
