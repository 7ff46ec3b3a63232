import { describe, expect, it } from "@jest/globals";
import { decodeQuery, encodeQuery, formatAuthority, parseUri } from "../../src/url";

describe("url helpers", () => {
  it("round-trips queries with reserved characters", () => {
    const query = { a: "1", "b c": "x&y=z", empty: "", unicode: "é✓" };
    expect(decodeQuery(encodeQuery(query))).toEqual(query);
    expect(decodeQuery("?a=1&&b")).toEqual({ a: "1", b: "" });
    expect(decodeQuery("bad=%E0%A4%A")).toEqual({ bad: "%E0%A4%A" });
  });

  it("formats the authority: brackets for IPv6, no default port", () => {
    expect(formatAuthority("::1", "3000", false)).toBe("[::1]:3000");
    expect(formatAuthority("h", "80", false)).toBe("h");
    expect(formatAuthority("h", "443", true)).toBe("h");
    expect(formatAuthority("h", "443", false)).toBe("h:443");
  });

  it("parses relative and schemeless URIs", () => {
    expect(parseUri("//example.com:99")).toMatchObject({ hostname: "example.com", port: "99", secure: false });
    // Path-only: no host of its own (the page's, or localhost, applies later).
    expect(parseUri("/?a=1")).toEqual({ hostname: undefined, port: "", secure: undefined, query: { a: "1" } });
    expect(parseUri("HTTPS://Example.com")).toMatchObject({ hostname: "example.com", secure: true, port: "" });
  });

  it("parses bare IPv6 addresses", () => {
    expect(parseUri("::1")).toMatchObject({ hostname: "::1", port: "" });
    expect(parseUri("fe80::1/?x=1")).toMatchObject({ hostname: "fe80::1", query: { x: "1" } });
    expect(parseUri("[::1]:3000")).toMatchObject({ hostname: "::1", port: "3000" });
  });
});
