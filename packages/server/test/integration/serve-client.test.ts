// Serving @volley/client's browser bundles under the server's path, checked against the
// files of @volley/client/dist and, where socket.io 4.8 serves the same URL, against what
// socket.io answers (status codes and headers).
import { afterEach, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { CLIENT_BUNDLE_UNAVAILABLE_BODY, Server, type ServerOptions } from "../../src";
import { ClientFileStore, CLIENT_FILES, preferredEncoding } from "../../src/serve-client";
import { IMPLEMENTATIONS, listen, startDiffServer, type DiffServer, type ImplementationName } from "../helpers/differential";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(port: number, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.on("error", reject);
    req.end();
  });
}

function clientFile(name: string): Buffer {
  return readFileSync(require.resolve(`@volley/client/dist/${name}`));
}

const SOCKET_IO_FILES = [...CLIENT_FILES].filter((name) => !name.includes(".websocket."));

let servers: DiffServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function start(name: ImplementationName, options: ServerOptions = {}): Promise<DiffServer> {
  const impl = IMPLEMENTATIONS.find((candidate) => candidate.name === name);
  if (impl === undefined) throw new Error(name);
  const server = await startDiffServer(impl, options);
  servers.push(server);
  return server;
}

describe("the client files", () => {
  it.each([...CLIENT_FILES])("%s is @volley/client's dist file, with its content type and an ETag", async (name) => {
    const { port } = await start("volley");
    const answer = await send(port, `/socket.io/${name}`);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe(
      name.endsWith(".map") ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8",
    );
    expect(answer.headers["cache-control"]).toBe("public, max-age=0");
    expect(answer.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(answer.headers["content-encoding"]).toBeUndefined();
    expect(answer.body.equals(clientFile(name))).toBe(true);
  });

  it("each file has its own ETag", async () => {
    const { port } = await start("volley");
    const etags = await Promise.all([...CLIENT_FILES].map(async (name) => (await send(port, `/socket.io/${name}`)).headers.etag));
    expect(new Set(etags).size).toBe(CLIENT_FILES.size);
  });

  it("ignores the query string", async () => {
    const { port } = await start("volley");
    const answer = await send(port, "/socket.io/socket.io.min.js?v=4.8.1&t=1");
    expect(answer.status).toBe(200);
    expect(answer.body.equals(clientFile("socket.io.min.js"))).toBe(true);
  });

  it("follows the path option", async () => {
    const { port } = await start("volley", { path: "/rt/" });
    expect((await send(port, "/rt/socket.io.js")).status).toBe(200);
    expect((await send(port, "/rt/socket.io.min.js.map?x=/socket.io")).status).toBe(200);
  });

  it("answers HEAD with the headers and no body", async () => {
    const { port } = await start("volley");
    const answer = await send(port, "/socket.io/socket.io.min.js", {}, "HEAD");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-length"]).toBe(String(clientFile("socket.io.min.js").length));
    expect(answer.body.length).toBe(0);
  });

  it("answers 304 to If-None-Match with the ETag (strong, weak, in a list, or *)", async () => {
    const { port } = await start("volley");
    const { etag } = (await send(port, "/socket.io/socket.io.js")).headers;
    for (const header of [`${etag}`, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const answer = await send(port, "/socket.io/socket.io.js", { "If-None-Match": header });
      expect([header, answer.status, answer.body.length]).toEqual([header, 304, 0]);
      expect(answer.headers.etag).toBe(etag);
    }
    expect((await send(port, "/socket.io/socket.io.js", { "If-None-Match": '"other"' })).status).toBe(200);
    // another file's tag does not match
    const minEtag = (await send(port, "/socket.io/socket.io.min.js")).headers.etag ?? "";
    expect((await send(port, "/socket.io/socket.io.js", { "If-None-Match": minEtag })).status).toBe(200);
  });

  it.each([
    ["br", brotliDecompressSync],
    ["gzip", gunzipSync],
    ["deflate", inflateSync],
  ] as const)("compresses with %s when the request accepts it", async (encoding, decompress) => {
    const { port } = await start("volley");
    for (const name of ["socket.io.js", "socket.io.min.js.map"]) {
      const answer = await send(port, `/socket.io/${name}`, { "Accept-Encoding": encoding });
      expect(answer.headers["content-encoding"]).toBe(encoding);
      expect(answer.headers.vary).toBe("Accept-Encoding");
      expect(Number(answer.headers["content-length"])).toBe(answer.body.length);
      expect(decompress(answer.body).equals(clientFile(name))).toBe(true);
    }
  });

  it("with serveClient(false) set after attach the URLs go to the engine", async () => {
    const server = await start("volley");
    server.io.serveClient(false);
    const answer = await send(server.port, "/socket.io/socket.io.js");
    expect(answer.status).toBe(400);
  });
});

describe("choosing the content coding as the accepts package does", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["identity", undefined],
    ["gzip", "gzip"],
    ["gzip, deflate, br", "gzip"],
    ["br, gzip", "br"],
    ["gzip;q=0.5, br;q=0.8", "br"],
    ["*", "br"],
    ["*;q=0.5, gzip", "gzip"],
    ["br;q=0, *", "gzip"],
    ["gzip;q=0", undefined],
    ["GZIP", "gzip"],
    ["zstd, deflate", "deflate"],
  ])("Accept-Encoding %p -> %p", (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});

describe("when @volley/client's files cannot be read", () => {
  let http: HttpServer | undefined;
  afterEach(() => new Promise<void>((resolve) => (http === undefined ? resolve() : http.close(() => resolve()))));

  it("answers 404 with a body that says where the bundle comes from, and looks again next time", async () => {
    let missing = true;
    const store = new ClientFileStore((name) => (missing ? "/nonexistent/volley-client-dist/" + name : require.resolve(`@volley/client/dist/${name}`)));
    http = createServer((req, res) => store.serve("socket.io.js", req, res));
    const port = await listen(http);
    const answer = await send(port, "/socket.io/socket.io.js");
    expect(answer.status).toBe(404);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(answer.body.toString())).toEqual(CLIENT_BUNDLE_UNAVAILABLE_BODY);
    missing = false;
    expect((await send(port, "/socket.io/socket.io.js")).status).toBe(200);
  });
});

describe("differential: the same answers as socket.io 4.8", () => {
  const both = async (options: ServerOptions = {}): Promise<[DiffServer, DiffServer]> =>
    Promise.all([start("socket.io", options), start("volley", options)]);

  const pick = (answer: Answer, names: readonly string[]): Record<string, unknown> =>
    Object.fromEntries(names.map((name) => [name, answer.headers[name]]));

  it.each(SOCKET_IO_FILES)("GET %s: status, content type, cache-control", async (name) => {
    const answers = await Promise.all((await both()).map((server) => send(server.port, `/socket.io/${name}?v=1`)));
    const [reference, volley] = answers.map((answer) => ({
      status: answer.status,
      ...pick(answer, ["content-type", "cache-control"]),
    }));
    expect(volley).toEqual(reference);
  });

  it.each([
    ["gzip, deflate, br"],
    ["br"],
    ["gzip;q=0.5, br;q=0.9"],
    ["deflate"],
    ["*"],
    ["identity"],
    ["gzip;q=0, deflate"],
  ])("Accept-Encoding %p: the same Content-Encoding", async (acceptEncoding) => {
    const answers = await Promise.all(
      (await both()).map((server) => send(server.port, "/socket.io/socket.io.min.js", { "Accept-Encoding": acceptEncoding })),
    );
    expect(answers.map((answer) => [answer.status, answer.headers["content-encoding"]])).toEqual([
      [200, answers[0]?.headers["content-encoding"]],
      [200, answers[0]?.headers["content-encoding"]],
    ]);
  });

  it("If-None-Match with each server's own ETag: 304; with another: 200", async () => {
    for (const server of await both()) {
      const { etag } = (await send(server.port, "/socket.io/socket.io.js")).headers;
      expect((await send(server.port, "/socket.io/socket.io.js", { "If-None-Match": `${etag}` })).status).toBe(304);
      expect((await send(server.port, "/socket.io/socket.io.js", { "If-None-Match": `W/${etag}` })).status).toBe(304);
      expect((await send(server.port, "/socket.io/socket.io.js", { "If-None-Match": '"0.0.0-other"' })).status).toBe(200);
    }
  });

  it("HEAD: the same status and content type", async () => {
    const answers = await Promise.all((await both()).map((server) => send(server.port, "/socket.io/socket.io.js", {}, "HEAD")));
    expect(answers.map((answer) => [answer.status, answer.headers["content-type"], answer.body.length])).toEqual([
      [200, "application/javascript; charset=utf-8", 0],
      [200, "application/javascript; charset=utf-8", 0],
    ]);
  });

  const CORS_HEADERS = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "access-control-max-age",
    "vary",
  ] as const;

  it.each([
    [{ origin: "https://app.example", credentials: true }, "https://app.example"],
    [{ origin: "*", exposedHeaders: ["X-Id"] }, "*"],
    [{ origin: ["https://other.example"], methods: ["GET"], maxAge: 600 }, undefined],
  ])("cors %j: the same CORS headers on GET and on a preflight", async (cors, allowedOrigin) => {
    const servers = await both({ cors });
    const get = await Promise.all(servers.map((server) => send(server.port, "/socket.io/socket.io.js", { Origin: "https://app.example" })));
    const preflight = await Promise.all(
      servers.map((server) =>
        send(server.port, "/socket.io/socket.io.js", {
          Origin: "https://app.example",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "x-token",
        }, "OPTIONS"),
      ),
    );
    const corsOf = (answer: Answer): Record<string, unknown> => {
      const headers = pick(answer, CORS_HEADERS);
      // Volley adds Accept-Encoding to Vary (the body depends on it); compare the rest
      headers["vary"] = String(headers["vary"] ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== "" && part !== "Accept-Encoding")
        .join(", ");
      return { status: answer.status, ...headers };
    };
    expect(corsOf(get[1] as Answer)).toEqual(corsOf(get[0] as Answer));
    expect(corsOf(preflight[1] as Answer)).toEqual(corsOf(preflight[0] as Answer));
    expect((get[1] as Answer).headers["access-control-allow-origin"]).toBe(allowedOrigin);
  });

  it("serveClient: false: the URLs fall through to the engine, with the same answer", async () => {
    const answers = await Promise.all(
      (await both({ serveClient: false })).map((server) => send(server.port, "/socket.io/socket.io.js")),
    );
    expect(answers[1]?.status).toBe(400);
    expect(answers.map((answer) => [answer.status, JSON.parse(answer.body.toString())])).toEqual([
      [400, { code: 0, message: "Transport unknown" }],
      [400, { code: 0, message: "Transport unknown" }],
    ]);
  });

  it("a file name that is not a client file falls through to the engine on both", async () => {
    const answers = await Promise.all((await both()).map((server) => send(server.port, "/socket.io/socket.io.txt")));
    expect(answers.map((answer) => answer.status)).toEqual([400, 400]);
  });
});

describe("Server without an http server of its own", () => {
  it("serves the files on a server it creates from a port", async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const io = new Server(port);
    try {
      await new Promise<void>((resolve) => (io.httpServer?.listening ? resolve() : io.httpServer?.once("listening", () => resolve())));
      expect((await send(port, "/socket.io/socket.io.esm.min.js")).status).toBe(200);
    } finally {
      await io.close();
    }
  });
});
