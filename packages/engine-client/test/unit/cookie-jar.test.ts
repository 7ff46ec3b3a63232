import { describe, expect, it } from "@jest/globals";
import { CookieJar } from "../../src/index";

describe("CookieJar", () => {
  it("keeps name=value pairs and ignores attributes", () => {
    const jar = new CookieJar();
    jar.parse(["io=abc; Path=/; HttpOnly; SameSite=Lax", 'quoted="v w"']);
    expect(jar.header()).toBe("io=abc; quoted=v w");
  });

  it("replaces a cookie with the same name", () => {
    const jar = new CookieJar();
    jar.parse("io=1");
    jar.parse("io=2");
    expect(jar.header()).toBe("io=2");
  });

  it("expires cookies by Max-Age (which wins over Expires) and by Expires", () => {
    const jar = new CookieJar();
    const now = Date.parse("2030-01-01T00:00:00Z");
    jar.parse(["a=1; Max-Age=10; Expires=Thu, 01 Jan 2099 00:00:00 GMT", "b=2; Expires=Tue, 01 Jan 2030 00:00:05 GMT"], now);
    expect(jar.header(now)).toBe("a=1; b=2");
    expect(jar.header(now + 5_000)).toBe("a=1");
    expect(jar.header(now + 10_000)).toBeUndefined();
  });

  it("deletes a cookie on Max-Age=0 and on an unreadable date", () => {
    const jar = new CookieJar();
    jar.parse(["a=1", "b=2"]);
    jar.parse(["a=gone; Max-Age=0", "b=gone; Expires=garbage"]);
    expect(jar.header()).toBeUndefined();
  });

  it("ignores lines without a name", () => {
    const jar = new CookieJar();
    jar.parse(["=x", "novalue", "  =y"]);
    jar.parse(undefined);
    expect(jar.header()).toBeUndefined();
  });
});
