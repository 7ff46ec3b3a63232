// `parse` against engine.io-client's, on hand-picked URIs and on URIs generated from a seeded
// grammar (schemes, credentials, IPv4/IPv6/named hosts, ports, paths with and without file
// names, queries, fragments).
import { describe, expect, it } from "@jest/globals";
import { parse as upstreamParse } from "engine.io-client";
import { InvalidOptionError, parse } from "../../src/index";

const CORPUS = [
  "http://localhost:3000",
  "https://example.com",
  "ws://a.b.c:80/",
  "wss://h/socket.io/?EIO=4&transport=polling",
  "//host:99",
  "host:99",
  "localhost",
  "/",
  "",
  "/admin",
  "http://localhost:3000/admin",
  "http://[::1]:3000/nsp?x=1#frag",
  "[::1]",
  "::1",
  "::1:3000",
  "fe80::1",
  "[::ffff:127.0.0.1]:80/x",
  "http://user:pass@host:1/p",
  "http://user@host/p",
  "http://a@b@c/d",
  "https://h/dir/app.js?x=1",
  "https://h/dir/sub/",
  "https://h/dir/sub",
  "https://h/a.b.",
  "https://h/.hidden",
  "https://h/dir/.hidden",
  "https://h/a.b/c",
  "http://h//a///b////c",
  "http://h/?a=1&b=2&&c&=d&e=f=g",
  "http://h/#x?y",
  "http://h:/p",
  "http://h?x",
  "HTTPS://Example.com/x",
  "ftp://h/x",
  "http://h/p?q=1#a#b",
  "http://h/%20a/b%2Fc",
  "http://127.0.0.1:8080/ns/sub.name/",
  "http://h/ns.io",
  "http://h/a?b=c#d\ne",
  "relative/path",
  "http://h:abc/def",
  "http://h/__proto__?__proto__=1&a=2",
  "http://1:2:3:4:5:6:7:8/x",
  "http://abcd:ef01::1/x",
];

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTS = ["localhost", "127.0.0.1", "example.com", "[::1]", "[fe80::1]", "::1", "h-1.io", ""];

function generate(next: () => number, count: number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const segment = () => pick(["a", "ns", "socket.io", "app.js", "x.y.z", ".env", "a.", "%41", "__proto__", ""]);
  const uris: string[] = [];
  for (let i = 0; i < count; i++) {
    const scheme = pick(["", "http://", "https://", "ws://", "wss://", "//", "ftp://"]);
    const credentials = pick(["", "", "user@", "user:pw@", ":@"]);
    // Brackets only where a host starts: elsewhere engine.io-client turns the colons inside
    // them into ";" and cuts the host (documented difference, see the last test).
    const hostsAfter = scheme === "//" || scheme === "ftp://" ? ["localhost", "127.0.0.1", "h-1.io", ""] : HOSTS;
    const host = pick(hostsAfter);
    const port = pick(["", "", ":3000", ":", ":80"]);
    let path = "";
    const depth = Math.floor(next() * 4);
    for (let d = 0; d < depth; d++) path += `/${segment()}`;
    if (next() < 0.3) path += "/";
    const query = pick(["", "?a=1", "?a=1&b=&c", "?x=%20y&x=2", "?=1&&k=v=w"]);
    const fragment = pick(["", "#top", "#a?b"]);
    uris.push(scheme + credentials + host + port + path + query + fragment);
  }
  return uris;
}

describe("parse (engine.io-client's URI splitter)", () => {
  it.each(CORPUS.map((uri) => [JSON.stringify(uri), uri]))("splits %s as engine.io-client does", (_, uri) => {
    expect(parse(uri!)).toEqual(upstreamParse(uri!));
  });

  it("splits 2000 generated URIs as engine.io-client does", () => {
    const uris = generate(random(7), 2000);
    const differing = uris.filter((uri) => JSON.stringify(sorted(parse(uri))) !== JSON.stringify(sorted(upstreamParse(uri))));
    expect(differing).toEqual([]);
  });

  it("gives the parts socket.io-client reads", () => {
    expect(parse("https://user@[::1]:3000/admin?token=x#f")).toMatchObject({
      protocol: "https",
      host: "::1",
      port: "3000",
      path: "/admin",
      query: "token=x",
      queryKey: { token: "x" },
      ipv6uri: true,
    });
  });

  it("refuses a URI over 8000 characters, as engine.io-client does", () => {
    const long = `http://h/${"a".repeat(8000)}`;
    expect(() => upstreamParse(long)).toThrow();
    expect(() => parse(long)).toThrow(InvalidOptionError);
    expect(() => parse(long.slice(0, 8000))).not.toThrow();
  });

  it("deliberately reads brackets only around a host (engine.io-client mangles the URI otherwise)", () => {
    expect(parse("/socket.io/?x=[1]").ipv6uri).toBeUndefined();
    expect(upstreamParse("/socket.io/?x=[1]").ipv6uri).toBe(true);
    expect(parse("http://localhost/?a=[1:2]")).toMatchObject({ host: "localhost", query: "a=[1:2]" });
    expect(upstreamParse("http://localhost/?a=[1:2]")).toMatchObject({ host: "ocalhos", query: "a=[1;2]" });
  });
});

function sorted(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
