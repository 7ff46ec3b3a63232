import type { IncomingMessage, ServerResponse } from "node:http";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "@jest/globals";
import { negotiateEncoding } from "../../src/internal/compression";
import { runMiddlewares, type Middleware } from "../../src/internal/middleware";
import { randomId } from "../../src/internal/random-id";
import { prepareRequest } from "../../src/internal/request";

describe("negotiateEncoding", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["identity", undefined],
    ["gzip", "gzip"],
    ["deflate", "deflate"],
    ["deflate, gzip", "gzip"],
    ["gzip;q=0.5, deflate", "deflate"],
    ["gzip;q=0, deflate;q=0", undefined],
    ["*", "gzip"],
    ["*;q=0", undefined],
    ["br, *;q=0.1", "gzip"],
    ["GZIP", "gzip"],
    ["gzip;q=abc", undefined],
  ])("%j -> %j", (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe("prepareRequest", () => {
  it("parses the query once into a prototype-less object, first value wins", () => {
    const req = { url: "/engine.io/?EIO=4&transport=polling&sid=a%2Fb&sid=second&__proto__=x" } as IncomingMessage;
    const prepared = prepareRequest(req);
    expect({ ...prepared._query }).toEqual({ EIO: "4", transport: "polling", sid: "a/b", ["__proto__"]: "x" });
    expect(Object.getPrototypeOf(prepared._query)).toBe(null);
    expect(prepareRequest(req)._query).toBe(prepared._query);
  });

  it("keeps the query in V8's fast mode (an Object.create(null) object is a dictionary, ~110 B more per session)", () => {
    setFlagsFromString("--allow-natives-syntax");
    const hasFastProperties = new Function("object", "return %HasFastProperties(object)") as (object: object) => boolean;
    setFlagsFromString("--no-allow-natives-syntax");
    const dictionary: Record<string, string> = Object.create(null) as Record<string, string>;
    dictionary["EIO"] = "4";
    // the probe itself tells the two apart
    expect(hasFastProperties(dictionary)).toBe(false);
    const req = { url: "/engine.io/?EIO=4&transport=websocket&sid=abc&token=xyz" } as IncomingMessage;
    const query = prepareRequest(req)._query;
    expect(hasFastProperties(query)).toBe(true);
    expect(Object.getPrototypeOf(query)).toBe(null);
    expect("toString" in query).toBe(false);
  });

  it("reads every query as URLSearchParams does, with or without something to decode", () => {
    const queries = [
      "EIO=4&transport=polling&sid=AbC-_09xyz",
      "EIO=4&transport=websocket&t=PQx3k1&sid=abc",
      "",
      "&",
      "&&a=1&&",
      "a",
      "a=",
      "=b",
      "=",
      "a==b",
      "a=1=2&a=3",
      "?a=1",
      "??a=1",
      "a=1#frag",
      "a=%41&b=c",
      "a=%zz&b=%E2%82%AC",
      "a=%E2%82",
      "a+b=c+d",
      "a=\u00e9\u00ff",
      "a=\uD800&b=\uDC00x",
      "a=\uD83D\uDE00",
      "__proto__=x&constructor=y&hasOwnProperty=z",
    ];
    for (const query of queries) {
      const req = { url: `/engine.io/?${query}` } as IncomingMessage;
      const expected = Object.create(null) as Record<string, string>;
      for (const [key, value] of new URLSearchParams(query)) if (!Object.hasOwn(expected, key)) expected[key] = value;
      const got = prepareRequest(req)._query;
      expect([query, Object.entries(got)]).toEqual([query, Object.entries(expected)]);
    }
  });

  it("keeps a query parsed by a framework", () => {
    const req = { url: "/?a=1", _query: { b: "2" } } as unknown as IncomingMessage;
    expect(prepareRequest(req)._query).toEqual({ b: "2" });
  });
});

describe("randomId", () => {
  it("gives 20 base64url characters (15 bytes), never the same twice across refills of its pool", () => {
    const ids = new Set<string>();
    // 128 ids per fill of the pool: several fills
    for (let i = 0; i < 1000; i++) {
      const id = randomId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(1000);
  });

  it("uses every bit: each of the 15 bytes takes many values over 1000 ids", () => {
    const seen = Array.from({ length: 15 }, () => new Set<number>());
    for (let i = 0; i < 1000; i++) {
      const bytes = Buffer.from(randomId(), "base64url");
      expect(bytes.length).toBe(15);
      bytes.forEach((byte, index) => seen[index]!.add(byte));
    }
    // 1000 uniform draws over 256 values leave fewer than ~230 distinct ones with negligible probability
    for (const values of seen) expect(values.size).toBeGreaterThan(230);
  });
});

describe("runMiddlewares", () => {
  const req = {} as IncomingMessage;
  const res = {} as ServerResponse;
  const run = (middlewares: Middleware[]): Promise<unknown> =>
    new Promise((resolve) => runMiddlewares(middlewares, req, res, (err) => resolve(err ?? "done")));

  it("runs sync and async middlewares in order", async () => {
    const order: number[] = [];
    await expect(
      run([
        (_q, _s, next) => {
          order.push(1);
          next();
        },
        async (_q, _s, next) => {
          await Promise.resolve();
          order.push(2);
          next();
        },
      ]),
    ).resolves.toBe("done");
    expect(order).toEqual([1, 2]);
  });

  it("stops at the first error, thrown, passed or rejected", async () => {
    const error = new Error("x");
    await expect(run([(_q, _s, next) => next(error)])).resolves.toBe(error);
    await expect(
      run([
        () => {
          throw error;
        },
      ]),
    ).resolves.toBe(error);
    await expect(run([async () => Promise.reject(error)])).resolves.toBe(error);
  });

  it("ignores a second next()", async () => {
    let calls = 0;
    await run([
      (_q, _s, next) => {
        next();
        next();
      },
      (_q, _s, next) => {
        calls++;
        next();
      },
    ]);
    expect(calls).toBe(1);
  });
});
