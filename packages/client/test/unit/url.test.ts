import { describe, expect, it } from "@jest/globals";
import { parseUrl } from "../../src/url";

describe("parseUrl", () => {
  it("reads scheme, host, port and namespace; the query goes with the source", () => {
    expect(parseUrl("http://example.com:3000/chat?room=1&x=a%20b", "/socket.io")).toEqual({
      source: "http://example.com:3000?room=1&x=a%20b",
      id: "http://example.com:3000/socket.io",
      nsp: "/chat",
    });
  });

  it("defaults the port from the scheme and the namespace to /", () => {
    expect(parseUrl("https://example.com", "/socket.io")).toMatchObject({ id: "https://example.com:443/socket.io", nsp: "/" });
    expect(parseUrl("ws://example.com", "/socket.io")).toMatchObject({ id: "ws://example.com:80/socket.io", nsp: "/" });
  });

  it("keys the cache on the server path too", () => {
    expect(parseUrl("http://a.com/x", "/other").id).toBe("http://a.com:80/other");
  });

  it("keeps IPv6 hosts in brackets", () => {
    expect(parseUrl("http://[::1]:8080/admin", "/socket.io")).toMatchObject({
      source: "http://[::1]:8080",
      id: "http://[::1]:8080/socket.io",
      nsp: "/admin",
    });
  });

  it("decodes the namespace", () => {
    expect(parseUrl("http://a.com/ch%C3%A4t", "/socket.io").nsp).toBe("/chät");
  });

  it("resolves against the page's location in browsers", () => {
    const loc = { protocol: "https:", host: "page.example:8443" };
    expect(parseUrl(undefined, "/socket.io", loc)).toMatchObject({ id: "https://page.example:8443/socket.io", nsp: "/" });
    expect(parseUrl("/admin", "/socket.io", loc)).toMatchObject({ id: "https://page.example:8443/socket.io", nsp: "/admin" });
    expect(parseUrl("//other.example/x", "/socket.io", loc)).toMatchObject({ id: "https://other.example:443/socket.io", nsp: "/x" });
    expect(parseUrl("other.example:81", "/socket.io", loc)).toMatchObject({ id: "https://other.example:81/socket.io" });
  });

  it("outside a browser: no URL is localhost, a URL without scheme is https (as socket.io-client)", () => {
    expect(parseUrl(undefined, "/socket.io", undefined).id).toBe("http://localhost:80/socket.io");
    expect(parseUrl("example.com/chat", "/socket.io", undefined)).toMatchObject({ id: "https://example.com:443/socket.io", nsp: "/chat" });
  });
});
