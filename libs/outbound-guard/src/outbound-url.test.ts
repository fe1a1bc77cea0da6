import { describe, expect, it } from "vitest";
import { checkOutboundUrl, isRefusedAddress, type Lookup, PUBLIC_ADDRESSES_ONLY } from "./outbound-url";

const strict = { allowHttp: false, allowlist: [] };
/** A resolver that knows a few names, so the tests need no DNS. */
const resolver =
  (table: Record<string, string[]>): Lookup =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw new Error("ENOTFOUND");
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("isRefusedAddress", () => {
  it.each([
    "127.0.0.1",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.1.2.3",
    "64:ff9b::a9fe:a9fe",
    "::ffff:7f00:1",
    "::127.0.0.1",
    "::7f00:1",
    "::ffff:0:10.0.0.1",
    "fec0::1",
    "64:ff9b:1::a00:1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2002:a00:1::1",
    "2002:a9fe:a9fe::",
  ])("refuses %s", (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "151.101.1.69", "2002:5db8:d70e::1"])(
    "allows %s",
    (address) => {
      expect(isRefusedAddress(address)).toBe(false);
    },
  );
});

describe("checkOutboundUrl", () => {
  const lookup = resolver({
    "fagsystem.example": ["93.184.215.14"],
    "sneaky.example": ["93.184.215.14", "10.0.0.7"],
    "metadata.example": ["169.254.169.254"],
  });

  it("refuses a name that does not resolve in time, saying so only in the detail for the log", async () => {
    const silent: Lookup = () => new Promise(() => {});
    expect(
      await checkOutboundUrl("https://fagsystem.example/cb", strict, silent, { lookupTimeoutMs: 50 }),
    ).toEqual({
      outcome: "refused",
      reason: PUBLIC_ADDRESSES_ONLY,
      detail: "fagsystem.example does not resolve within 50 ms",
    });
  });

  it("answers the same words whether a name is unknown, late or internal, never an address", async () => {
    const internal = resolver({ vm: ["127.0.0.1"], "db.internal": ["10.20.30.40", "fd12::7"] });
    const silent: Lookup = () => new Promise(() => {});
    const refusals = [
      await checkOutboundUrl("https://vm/cb", strict, internal),
      await checkOutboundUrl("https://db.internal/cb", strict, internal),
      await checkOutboundUrl("https://nowhere.example/cb", strict, internal),
      await checkOutboundUrl("https://late.example/cb", strict, silent, { lookupTimeoutMs: 10 }),
    ];
    expect(new Set(refusals.map((check) => check.outcome === "refused" && check.reason))).toEqual(
      new Set([PUBLIC_ADDRESSES_ONLY]),
    );
    expect(refusals.map((check) => check.outcome === "refused" && check.detail)).toEqual([
      "vm resolves to a private or reserved address (127.0.0.1)",
      "db.internal resolves to a private or reserved address (10.20.30.40, fd12::7)",
      "nowhere.example does not resolve",
      "late.example does not resolve within 10 ms",
    ]);
  });

  it("allows https to a public address", async () => {
    expect(await checkOutboundUrl("https://fagsystem.example/flyt-callback", strict, lookup)).toMatchObject({
      outcome: "allowed",
      addresses: ["93.184.215.14"],
    });
  });

  it.each([
    ["http://fagsystem.example/cb", /only https/],
    ["https://127.0.0.1/cb", /private or reserved/],
    ["https://[::1]/cb", /private or reserved/],
    ["https://10.0.0.1/cb", /private or reserved/],
    ["https://169.254.169.254/latest/meta-data", /private or reserved/],
    ["https://metadata.example/", /private or reserved/],
    ["https://sneaky.example/", /10\.0\.0\.7/],
    ["https://user:pass@fagsystem.example/", /credentials/],
    ["https://nowhere.example/", /does not resolve/],
    ["ftp://fagsystem.example/", /only https/],
    ["not a url", /not a URL/],
  ])("refuses %s", async (url, detail) => {
    const result = await checkOutboundUrl(url, strict, lookup);
    expect(result.outcome).toBe("refused");
    expect(result.outcome === "refused" && result.detail).toMatch(detail);
    // Whatever the log is told, the caller never sees an address the platform resolved.
    expect(result.outcome === "refused" && result.reason).not.toMatch(/\d+\.\d+\.\d+\.\d+|::|resolves to/);
  });

  it("allows http and loopback only where the deployment says so", async () => {
    const local = { allowHttp: true, allowlist: ["127.0.0.1", "localhost"] };
    expect((await checkOutboundUrl("http://127.0.0.1:9999/cb", local, lookup)).outcome).toBe("allowed");
    expect((await checkOutboundUrl("http://10.0.0.1/cb", local, lookup)).outcome).toBe("refused");
  });

  it("allows addresses inside allowlisted CIDR ranges, whatever the name, and only those", async () => {
    const local = { allowHttp: true, allowlist: ["127.0.0.0/8", "::1/128"] };
    const names = resolver({ "receiver.test": ["127.0.0.2"], "intranet.test": ["10.0.0.5"] });
    expect((await checkOutboundUrl("http://receiver.test:9999/cb", local, names)).outcome).toBe("allowed");
    expect((await checkOutboundUrl("http://[::1]:9999/cb", local, names)).outcome).toBe("allowed");
    expect((await checkOutboundUrl("http://intranet.test/cb", local, names)).outcome).toBe("refused");
    expect((await checkOutboundUrl("http://169.254.169.254/", local, names)).outcome).toBe("refused");
  });
});
