import { EventEmitter } from "node:events";
import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { writeRawResponse } from "./request";

/** A Connect/Express-style middleware, run on every HTTP request and every upgrade. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Runs the middlewares one after the other. `done` runs once, after the last one called
 * `next()`, or with the first error. A middleware that answers without calling `next()` ends
 * the chain there. Callbacks, not promises: no microtask per request when all are sync.
 */
export function runMiddlewares(
  middlewares: readonly Middleware[],
  req: IncomingMessage,
  res: ServerResponse,
  done: (err?: unknown) => void,
): void {
  let index = 0;
  const step = (): void => {
    if (index === middlewares.length) {
      done();
      return;
    }
    const middleware = middlewares[index++]!;
    let settled = false;
    const next = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) done(err);
      else step();
    };
    try {
      const result: unknown = middleware(req, res, next);
      if (result instanceof Promise) result.catch((err: unknown) => next(err ?? new Error("middleware rejected")));
    } catch (err) {
      next(err ?? new Error("middleware threw"));
    }
  };
  step();
}

/**
 * What middlewares get as `res` for an upgrade request. Headers they set go into the 101
 * response; a middleware that ends it refuses the upgrade with its own status and body.
 * An EventEmitter, like a ServerResponse, for middlewares that listen to `finish`/`close`.
 */
export class UpgradeResponse extends EventEmitter {
  statusCode = 200;
  statusMessage: string | undefined;
  headersSent = false;
  writableEnded = false;
  readonly #socket: Duplex;
  readonly #headers = new Map<string, { name: string; value: OutgoingHttpHeader }>();
  readonly #body: Buffer[] = [];

  constructor(socket: Duplex) {
    super();
    this.#socket = socket;
    socket.once("close", this.#onSocketClose);
  }

  readonly #onSocketClose = (): void => {
    this.emit("close");
  };

  /**
   * The upgrade went on (its 101 is being written): stop following the socket. It becomes
   * the WebSocket's and lives as long as the session; its listener would keep this
   * response, its headers and whatever middlewares hung on it (about 1 KB) in memory.
   */
  detach(): void {
    this.#socket.removeListener("close", this.#onSocketClose);
  }

  setHeader(name: string, value: OutgoingHttpHeader): this {
    this.#headers.set(name.toLowerCase(), { name, value });
    return this;
  }

  getHeader(name: string): OutgoingHttpHeader | undefined {
    return this.#headers.get(name.toLowerCase())?.value;
  }

  hasHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase());
  }

  getHeaders(): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    for (const { name, value } of this.#headers.values()) headers[name] = value;
    return headers;
  }

  writeHead(status: number, message?: string | OutgoingHttpHeaders, headers?: OutgoingHttpHeaders): this {
    this.statusCode = status;
    if (typeof message === "string") this.statusMessage = message;
    else headers = message;
    if (headers !== undefined) for (const name of Object.keys(headers)) this.setHeader(name, headers[name]!);
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    this.#body.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
    return true;
  }

  end(chunk?: string | Uint8Array | (() => void)): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined && typeof chunk !== "function") this.write(chunk);
    this.writableEnded = true;
    this.headersSent = true;
    const headers: Record<string, string | number | readonly string[]> = {};
    for (const { name, value } of this.#headers.values()) {
      if (name.toLowerCase() !== "content-length" && name.toLowerCase() !== "connection") headers[name] = value;
    }
    const status = this.statusCode;
    writeRawResponse(this.#socket, status, this.statusMessage ?? STATUS_CODES[status] ?? "Unknown", headers, Buffer.concat(this.#body));
    this.emit("finish");
    return this;
  }

  /** Headers set by middlewares, as `name: value` lines for the 101 response. */
  headerLines(): string[] {
    const lines: string[] = [];
    for (const { name, value } of this.#headers.values()) {
      if (Array.isArray(value)) for (const item of value) lines.push(`${name}: ${String(item)}`);
      else lines.push(`${name}: ${String(value)}`);
    }
    return lines;
  }
}
