// Serving the browser bundles of @volley/client under the server's path, as socket.io serves
// its client-dist: `<path>/socket.io.js` and its variants, with ETag / 304, gzip, brotli or
// deflate when the request accepts it, and the CORS headers of the `cors` option. The files
// are resolved through @volley/client's exports map (`@volley/client/dist/*`), read once,
// and their compressed forms computed once, off the event loop.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { brotliCompress, constants as zlib, deflate, gzip } from "node:zlib";
import { SERVER_ERROR_CODES } from "./errors";

/** The files served, by name under the server's path. */
export const CLIENT_FILES: ReadonlySet<string> = new Set(
  ["socket.io.js", "socket.io.min.js", "socket.io.esm.min.js", "socket.io.msgpack.min.js", "socket.io.websocket.min.js"].flatMap(
    (file) => [file, `${file}.map`],
  ),
);

/**
 * The client file that `url` asks for under `path`, or undefined; the query string is ignored.
 * @param path the server's path, without a trailing slash ("/socket.io")
 */
export function clientFileName(path: string, url: string | undefined): string | undefined {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  if (url === undefined || !url.startsWith(prefix)) return undefined;
  const query = url.indexOf("?", prefix.length);
  const name = url.slice(prefix.length, query === -1 ? undefined : query);
  return CLIENT_FILES.has(name) ? name : undefined;
}

/** The body of the 404 answer given when @volley/client's files cannot be found. */
export const CLIENT_BUNDLE_UNAVAILABLE_BODY = Object.freeze({
  code: SERVER_ERROR_CODES.CLIENT_BUNDLE_UNAVAILABLE,
  message:
    "The Socket.IO client bundle could not be read from @volley/client (a dependency of @volley/server): " +
    "reinstall it, or build it (pnpm --filter @volley/client build) in a checkout of the repository.",
});

type Encoding = "br" | "gzip" | "deflate";

const ENCODINGS: readonly Encoding[] = ["br", "gzip", "deflate"];

const COMPRESS: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body, { level: zlib.Z_BEST_COMPRESSION }),
  deflate: (body) => promisify(deflate)(body, { level: zlib.Z_BEST_COMPRESSION }),
};

interface ClientFile {
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
  /** The compressed bodies, computed on first request. */
  readonly encoded: Map<Encoding, Promise<Buffer>>;
}

/** Finds a file of @volley/client's dist/ folder (through its exports map). */
export type ClientFileLocator = (name: string) => string;

const requireHere = createRequire(import.meta.url);
const locateInClientPackage: ClientFileLocator = (name) => requireHere.resolve(`@volley/client/dist/${name}`);

/**
 * The client files of one server: read on first request and kept (they do not change while
 * the process runs; a new version of @volley/client means a restart).
 */
export class ClientFileStore {
  readonly #locate: ClientFileLocator;
  readonly #files = new Map<string, Promise<ClientFile | undefined>>();

  constructor(locate: ClientFileLocator = locateInClientPackage) {
    this.#locate = locate;
  }

  /** Answers a request for the client file `name` (one of {@link CLIENT_FILES}). */
  serve(name: string, req: IncomingMessage, res: ServerResponse): void {
    this.#answer(name, req, res).catch(() => refuse(res));
  }

  async #answer(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = await this.#file(name);
    if (file === undefined) return refuse(res);
    // the cors middleware may have set Vary: Origin already
    const vary = res.getHeader("Vary");
    const headers = {
      "Cache-Control": "public, max-age=0",
      ETag: file.etag,
      Vary: vary === undefined ? "Accept-Encoding" : `${String(vary)}, Accept-Encoding`,
    };
    if (matchesEtag(req.headers["if-none-match"], file.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const encoding = preferredEncoding(req.headers["accept-encoding"]);
    const body = encoding === undefined ? file.body : await encoded(file, encoding);
    res.writeHead(200, {
      ...headers,
      "Content-Type": file.contentType,
      "Content-Length": body.length,
      ...(encoding === undefined ? {} : { "Content-Encoding": encoding }),
    });
    // a HEAD request gets the headers only (Node.js drops the body)
    res.end(body);
  }

  #file(name: string): Promise<ClientFile | undefined> {
    let file = this.#files.get(name);
    if (file === undefined) {
      file = this.#read(name);
      this.#files.set(name, file);
    }
    return file;
  }

  async #read(name: string): Promise<ClientFile | undefined> {
    let body: Buffer;
    try {
      body = await readFile(this.#locate(name));
    } catch {
      // not installed or not built: answer 404, and look again on the next request
      this.#files.delete(name);
      return undefined;
    }
    const hash = createHash("sha256").update(body).digest("base64url").slice(0, 27);
    return {
      body,
      etag: `"${hash}"`,
      contentType: name.endsWith(".map") ? "application/json; charset=utf-8" : "application/javascript; charset=utf-8",
      encoded: new Map(),
    };
  }
}

function encoded(file: ClientFile, encoding: Encoding): Promise<Buffer> {
  let body = file.encoded.get(encoding);
  if (body === undefined) {
    body = COMPRESS[encoding](file.body);
    file.encoded.set(encoding, body);
  }
  return body;
}

function refuse(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(CLIENT_BUNDLE_UNAVAILABLE_BODY);
  res.writeHead(404, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(body);
}

/** If-None-Match: a list of entity tags (weak ones compare equal, RFC 9110 §13.1.2) or `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || (trimmed.startsWith("W/") ? trimmed.slice(2) : trimmed) === etag;
  });
}

/**
 * The content coding to answer with, from Accept-Encoding, as the `accepts` package (behind
 * socket.io) chooses among br, gzip and deflate: highest q first, then an exact name over
 * `*`, then the order of the header, then br before gzip before deflate. Undefined: identity.
 */
export function preferredEncoding(header: string | undefined): Encoding | undefined {
  if (header === undefined) return undefined;
  const accepted = header.split(",").flatMap((entry, order) => {
    const [token = "", ...params] = entry.split(";").map((part) => part.trim());
    if (token === "") return [];
    let q = 1;
    for (const param of params) {
      const match = /^q=([0-9.]+)$/i.exec(param);
      if (match !== null) q = Number.parseFloat(match[1] ?? "");
    }
    return [{ name: token.toLowerCase(), q: Number.isNaN(q) ? 0 : q, order }];
  });
  let best: { encoding: Encoding; q: number; exact: number; order: number } | undefined;
  for (const encoding of ENCODINGS) {
    let match: { q: number; exact: number; order: number } | undefined;
    for (const spec of accepted) {
      const exact = spec.name === encoding ? 1 : spec.name === "*" ? 0 : -1;
      if (exact < 0) continue;
      if (match === undefined || exact - match.exact > 0 || (exact === match.exact && (spec.q > match.q || (spec.q === match.q && spec.order < match.order)))) {
        match = { q: spec.q, exact, order: spec.order };
      }
    }
    if (match === undefined || match.q <= 0) continue;
    if (
      best === undefined ||
      match.q > best.q ||
      (match.q === best.q && (match.exact > best.exact || (match.exact === best.exact && match.order < best.order)))
    ) {
      best = { encoding, ...match };
    }
  }
  return best?.encoding;
}
