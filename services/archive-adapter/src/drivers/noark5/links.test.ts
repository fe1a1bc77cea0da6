import { describe, expect, it } from "vitest";
import { findLink, linksOf, linkUrl } from "./links";

const REL = "https://rel.arkivverket.no/noark5/v5/api/sakarkiv/saksmappe/";

describe("linksOf", () => {
  it("reads the v5 object keyed by relation", () => {
    const links = linksOf({
      _links: {
        self: { href: "https://n5.example.com/api/sakarkiv/saksmappe/1" },
        [REL]: { href: "https://n5.example.com/api/sakarkiv/saksmappe{?$filter&$top}", templated: true },
      },
    });
    expect(links.get("self")).toEqual({
      href: "https://n5.example.com/api/sakarkiv/saksmappe/1",
      templated: false,
    });
    expect(links.get(REL.slice(0, -1))?.templated).toBe(true);
  });

  it("reads the older list of {rel, href}", () => {
    const resource = { _links: [{ rel: REL, href: "https://n5.example.com/api/sakarkiv/saksmappe" }] };
    expect(findLink(resource, REL)?.href).toBe("https://n5.example.com/api/sakarkiv/saksmappe");
  });

  it("finds a relation whether or not either side ends with a slash", () => {
    const resource = { _links: { [REL.slice(0, -1)]: { href: "https://n5.example.com/x" } } };
    expect(findLink(resource, REL)?.href).toBe("https://n5.example.com/x");
  });

  it("takes the first of a relation's list, and ignores what is not a link", () => {
    const links = linksOf({
      _links: {
        [REL]: [{ href: "https://a" }, { href: "https://b" }],
        broken: { templated: true },
        empty: null,
      },
    });
    expect(links.get(REL.slice(0, -1))?.href).toBe("https://a");
    expect(links.has("broken")).toBe(false);
    expect(links.has("empty")).toBe(false);
  });

  it("has no links when the answer has none", () => {
    expect(linksOf({}).size).toBe(0);
    expect(linksOf({ _links: "nonsense" }).size).toBe(0);
  });
});

describe("linkUrl", () => {
  it("replaces a query template with the parameters, encoded", () => {
    const url = linkUrl(
      {
        href: "https://n5.example.com/api/sakarkiv/saksmappe{?$filter&$orderby&$top&$skip}",
        templated: true,
      },
      { $filter: "mappeID eq '2026/123'" },
    );
    expect(url).toBe("https://n5.example.com/api/sakarkiv/saksmappe?$filter=mappeID%20eq%20'2026%2F123'");
  });

  it("understands RFC 6570's comma form too", () => {
    expect(linkUrl({ href: "https://a/list{?$filter,$top}", templated: true }, { $top: "5" })).toBe(
      "https://a/list?$top=5",
    );
  });

  it("appends parameters to a plain href", () => {
    expect(linkUrl({ href: "https://a/list", templated: false }, { $filter: "tittel eq 'x'" })).toBe(
      "https://a/list?$filter=tittel%20eq%20'x'",
    );
    expect(linkUrl({ href: "https://a/list?$top=10", templated: false }, { $skip: "10" })).toBe(
      "https://a/list?$top=10&$skip=10",
    );
  });

  it("joins a filter the href already has with the new one", () => {
    const url = linkUrl(
      { href: "https://a/klasse/?$filter=overklasse%20eq%207b39", templated: false },
      { $filter: "klasseID eq '12/4'" },
    );
    expect(decodeURIComponent(url)).toBe(
      "https://a/klasse/?$filter=(overklasse eq 7b39) and (klasseID eq '12/4')",
    );
  });

  it("resolves a relative href against the answer's URL", () => {
    expect(
      linkUrl({ href: "../journalpost/7", templated: false }, {}, "https://a/api/sakarkiv/saksmappe/1"),
    ).toBe("https://a/api/sakarkiv/journalpost/7");
  });

  it("refuses a path template it cannot fill", () => {
    expect(() => linkUrl({ href: "https://a/saksmappe/{id}", templated: true })).toThrow(
      /unsupported URI template/,
    );
  });
});
