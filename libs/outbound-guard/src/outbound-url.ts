import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

export interface OutboundPolicy {
  /** Plain http is refused unless the deployment allows it (local runs do). */
  readonly allowHttp: boolean;
  /**
   * What may be called although it resolves to a refused range: host names or addresses (`127.0.0.1`,
   * `localhost`: the host as written in the URL), and CIDR ranges (`127.0.0.0/8`, `::1/128`: any resolved
   * address inside one).
   */
  readonly allowlist: readonly string[];
}

export type OutboundCheck =
  | { readonly outcome: "allowed"; readonly url: URL; readonly addresses: readonly string[] }
  | {
      readonly outcome: "refused";
      /**
       * What the URL must be, for whoever gave it: never what its host resolved to, nor whether it resolved at
       * all, which would map the platform's internal names for anyone who can register a URL.
       */
      readonly reason: string;
      /** The whole story (the host, the addresses it resolved to), for the operators' log only. */
      readonly detail: string;
    };

/**
 * One answer for a host that does not resolve, resolves too late, or resolves to a refused address: which of
 * them it was would tell the caller what internal DNS knows. It says what a source system needs to fix its URL.
 */
export const PUBLIC_ADDRESSES_ONLY = "the URL's host must resolve only to public internet addresses";

export type Lookup = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

const refused = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  refused.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local (also AWS's fd00:ec2::254 metadata)
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["fec0::", 10], // site-local (deprecated, still routed inside some networks)
  ["64:ff9b:1::", 48], // local-use NAT64: translates to addresses of the operator's choosing
  ["2001::", 32], // Teredo: an IPv4 address tunnelled inside
  ["2001:db8::", 32], // documentation
] as const) {
  refused.addSubnet(network, prefix, "ipv6");
}

/**
 * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::)
 * IPv6 address.
 */
function embeddedIpv4(address: string): string | undefined {
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(:|$)/i.exec(address);
  if (sixToFour) return dottedQuad(sixToFour[1] as string, sixToFour[2] as string);
  // IPv4-mapped (::ffff:), IPv4-translated (::ffff:0:), NAT64 (64:ff9b::) and the old IPv4-compatible (::) forms.
  const dotted = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  return dottedQuad(hex[1] as string, hex[2] as string);
}

/** `a.b.c.d` from two hex groups of an IPv6 address. */
function dottedQuad(highGroup: string, lowGroup: string): string {
  const high = Number.parseInt(highGroup, 16);
  const low = Number.parseInt(lowGroup, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** True when calling this address could reach inside the platform's own network. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    return v4 !== undefined ? refused.check(v4, "ipv4") : refused.check(address, "ipv6");
  }
  return true;
}

/**
 * Whether Flyt may call `raw` on someone's behalf: https (http only where allowed), no credentials in the URL,
 * and every address the name resolves to outside loopback, private, link-local, CGNAT, multicast and metadata
 * ranges, unless the host is allowlisted. Checked at registration and again before every call (DNS changes).
 */
export async function checkOutboundUrl(
  raw: string,
  policy: OutboundPolicy,
  lookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true }),
  options: { readonly lookupTimeoutMs?: number } = {},
): Promise<OutboundCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refusal("not a URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && policy.allowHttp)) {
    return refusal(policy.allowHttp ? "only http and https" : "only https");
  }
  if (url.username || url.password) return refusal("credentials in the URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const allowlisted = policy.allowlist.includes(host);
  const allowedRanges = rangesOf(policy.allowlist);
  let addresses: string[];
  const timeoutMs = options.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS;
  try {
    addresses = isIP(host)
      ? [host]
      : (await withinTime(lookup(host), timeoutMs)).map((entry) => entry.address);
  } catch (error) {
    const late = error instanceof LookupTimeout;
    return refusal(PUBLIC_ADDRESSES_ONLY, `${host} does not resolve${late ? ` within ${timeoutMs} ms` : ""}`);
  }
  if (addresses.length === 0) return refusal(PUBLIC_ADDRESSES_ONLY, `${host} does not resolve`);
  const forbidden = addresses.filter(
    (address) => isRefusedAddress(address) && !inRanges(allowedRanges, address),
  );
  if (forbidden.length > 0 && !allowlisted) {
    return refusal(
      PUBLIC_ADDRESSES_ONLY,
      `${host} resolves to a private or reserved address (${forbidden.join(", ")})`,
    );
  }
  return { outcome: "allowed", url, addresses };
}

/** A refusal; `detail` only where the log should know more than the caller may. */
function refusal(reason: string, detail: string = reason): OutboundCheck {
  return { outcome: "refused", reason, detail };
}

/**
 * How long a name may take to resolve. A name server that never answers must not hold a call (or the caller's
 * other calls) for the resolver's own minutes-long retries.
 */
const LOOKUP_TIMEOUT_MS = 5_000;

class LookupTimeout extends Error {}

function withinTime<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LookupTimeout()), timeoutMs);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The CIDR entries of an allowlist (`a.b.c.d/n`, `x::y/n`) as one block list; others are host names. */
function rangesOf(allowlist: readonly string[]): BlockList | undefined {
  const cidrs = allowlist.filter((entry) => entry.includes("/"));
  if (cidrs.length === 0) return undefined;
  const ranges = new BlockList();
  for (const cidr of cidrs) {
    const [network = "", bits = ""] = cidr.split("/");
    const family = isIP(network);
    const prefix = Number(bits);
    if (family === 0 || !/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) continue;
    ranges.addSubnet(network, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return ranges;
}

function inRanges(ranges: BlockList | undefined, address: string): boolean {
  if (!ranges) return false;
  const family = isIP(address);
  if (family === 4) return ranges.check(address, "ipv4");
  const v4 = embeddedIpv4(address);
  return v4 !== undefined ? ranges.check(v4, "ipv4") : ranges.check(address, "ipv6");
}
