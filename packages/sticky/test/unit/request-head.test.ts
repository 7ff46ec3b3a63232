import { describe, expect, it } from "@jest/globals";
import { parseRequestHead, parseRequestLine, readRequestLine, sidOf, skipEmptyLines } from "../../src/request-head";

describe("request line", () => {
  it("splits method, target and version", () => {
    expect(parseRequestLine("GET /socket.io/?EIO=4&sid=abc HTTP/1.1")).toEqual({ method: "GET", target: "/socket.io/?EIO=4&sid=abc", version: "HTTP/1.1" });
  });

  it("keeps a line that is not three parts whole as the target (so it names no session)", () => {
    expect(parseRequestLine("garbage")).toEqual({ method: "", target: "garbage", version: "" });
    expect(parseRequestLine("GET /x?sid=abc")).toEqual({ method: "", target: "GET /x?sid=abc", version: "" });
  });

  it("waits for the line end, skips empty lines before it, takes CRLF or LF", () => {
    expect(readRequestLine(Buffer.from("GET /?sid=ab"))).toBeUndefined();
    expect(readRequestLine(Buffer.from("\r\n\r\nGET /?sid=ab HTTP/1.1\r\nHost: x"))).toEqual({ method: "GET", target: "/?sid=ab", version: "HTTP/1.1" });
    expect(readRequestLine(Buffer.from("GET /?sid=ab HTTP/1.1\nHost: x"))?.target).toBe("/?sid=ab");
    expect(skipEmptyLines(Buffer.from("\r\n\nX"), 0)).toBe(3);
  });

  it("finds the request line at every split point of a request", () => {
    const bytes = Buffer.from("POST /socket.io/?EIO=4&transport=polling&sid=Yd3_x-Q9 HTTP/1.1\r\nHost: x\r\n\r\n");
    const lineEnd = bytes.indexOf("\r\n") + 2;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const line = readRequestLine(bytes.subarray(0, cut));
      if (cut < lineEnd) expect(line).toBeUndefined();
      else expect(sidOf(line!.target)).toBe("Yd3_x-Q9");
    }
  });
});

describe("sidOf", () => {
  it.each([
    ["/socket.io/?EIO=4&transport=polling&sid=abc", "abc"],
    ["/socket.io/?sid=abc&EIO=4", "abc"],
    ["/socket.io/?sid=a%2Db", "a-b"],
    ["/socket.io/?sid=first&sid=second", "first"],
    ["http://example.com/socket.io/?EIO=4&sid=abs", "abs"],
    ["/socket.io/?EIO=4&transport=polling", undefined],
    ["/socket.io/?EIO=4&xsid=abc", undefined],
    ["/socket.io/?sid=", undefined],
    ["/sid=abc", undefined],
    ["/?a=1#sid=abc", undefined],
  ])("%s → %s", (target, sid) => {
    expect(sidOf(target)).toBe(sid);
  });
});

describe("request head", () => {
  const head = (lines: string[]): ReturnType<typeof parseRequestHead> => parseRequestHead(lines.join("\r\n"));

  it("reads the sid, the body framing, upgrade and expect", () => {
    expect(head(["GET /socket.io/?EIO=4&transport=polling&sid=s1 HTTP/1.1", "Host: x"])).toMatchObject({ sid: "s1", body: { kind: "none" }, upgrade: false, expect: false });
    expect(head(["POST /?sid=s1 HTTP/1.1", "content-LENGTH: 12"])?.body).toEqual({ kind: "length", length: 12 });
    expect(head(["POST / HTTP/1.1", "Content-Length: 0"])?.body).toEqual({ kind: "none" });
    expect(head(["POST / HTTP/1.1", "Transfer-Encoding: gzip, chunked"])?.body).toEqual({ kind: "chunked" });
    expect(head(["GET / HTTP/1.1", "Upgrade: websocket", "Connection: keep-alive, Upgrade"])?.upgrade).toBe(true);
    expect(head(["GET / HTTP/1.1", "Upgrade: websocket"])?.upgrade).toBe(false);
    expect(head(["CONNECT host:443 HTTP/1.1"])?.upgrade).toBe(true);
    expect(head(["POST / HTTP/1.1", "Expect: 100-continue", "Content-Length: 3"])?.expect).toBe(true);
  });

  it("refuses framings that cannot say where the next request starts", () => {
    expect(head(["POST / HTTP/1.1", "Content-Length: 12", "Content-Length: 13"])).toBeUndefined();
    expect(head(["POST / HTTP/1.1", "Content-Length: -1"])).toBeUndefined();
    expect(head(["POST / HTTP/1.1", "Content-Length: 1e3"])).toBeUndefined();
    expect(head(["POST / HTTP/1.1", "Transfer-Encoding: chunked", "Content-Length: 3"])).toBeUndefined();
    expect(head(["POST / HTTP/1.1", "Transfer-Encoding: chunked, gzip"])).toBeUndefined();
    expect(head(["POST / HTTP/1.1", "no colon here"])).toBeUndefined();
    // the same length twice is allowed
    expect(head(["POST / HTTP/1.1", "Content-Length: 3", "Content-Length: 3"])?.body).toEqual({ kind: "length", length: 3 });
  });
});
