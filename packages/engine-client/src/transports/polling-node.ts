import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Buffer } from "node:buffer";
import { Polling, type PendingRequest, type PollingRequestHandlers, type PollingRequestInit } from "./polling";

/**
 * HTTP long-polling over Node's `http`/`https` modules (no XMLHttpRequest polyfill). Honors
 * `extraHeaders`, `agent`, the TLS options, `requestTimeout`, `autoUnref` and, with
 * `withCredentials`, the socket's cookie jar.
 */
export class NodePolling extends Polling {
  #isUnrefed = false;
  readonly #pendingGets = new Set<ClientRequest>();

  override unref(): void {
    this.#isUnrefed = true;
    for (const request of this.#pendingGets) request.socket?.unref();
  }

  protected request(init: PollingRequestInit, handlers: PollingRequestHandlers): PendingRequest {
    const { opts } = this;
    const url = new URL(init.uri);
    const headers: Record<string, string> = { Accept: "*/*", ...opts.extraHeaders };
    if (init.method === "POST") {
      headers["Content-Type"] = "text/plain;charset=UTF-8";
      headers["Content-Length"] = String(Buffer.byteLength(init.body ?? ""));
    }
    const cookie = opts.context.cookieJar?.header();
    if (cookie !== undefined) headers["Cookie"] = headers["Cookie"] === undefined ? cookie : `${headers["Cookie"]}; ${cookie}`;

    const exchange: Exchange = { isDone: false, request: undefined };
    this.#send(url, init, headers, handlers, exchange, true);
    return {
      abort: () => {
        exchange.isDone = true;
        exchange.request?.destroy();
      },
    };
  }

  /** Sends one HTTP request of `exchange`; `mayRetry`: a GET may be sent once more (below). */
  #send(
    url: URL,
    init: PollingRequestInit,
    headers: Record<string, string>,
    handlers: PollingRequestHandlers,
    exchange: Exchange,
    mayRetry: boolean,
  ): void {
    const { opts } = this;
    const finish = (report: () => void) => {
      if (exchange.isDone) return;
      exchange.isDone = true;
      report();
    };
    const request: ClientRequest = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: init.method,
      headers,
      agent: opts.agent === false ? undefined : (opts.agent as Agent),
      pfx: opts.pfx,
      key: opts.key,
      passphrase: opts.passphrase,
      cert: opts.cert,
      ca: opts.ca,
      ciphers: opts.ciphers,
      rejectUnauthorized: opts.rejectUnauthorized,
    } as Parameters<typeof httpRequest>[1]);
    exchange.request = request;

    if (opts.requestTimeout > 0) {
      request.setTimeout(opts.requestTimeout, () => {
        request.destroy(new Error(`request timed out after ${opts.requestTimeout} ms`));
      });
    }
    if (init.method === "GET") {
      // autoUnref: only a long-poll GET of an open session waits idle; the handshake and POSTs
      // keep the process alive until they are done, so nothing sent is cut off.
      this.#pendingGets.add(request);
      request.on("close", () => this.#pendingGets.delete(request));
      request.on("socket", (socket) => {
        if (this.#isUnrefed) socket.unref();
      });
    }

    request.on("response", (response: IncomingMessage) => {
      opts.context.cookieJar?.parse(response.headers["set-cookie"]);
      response.setEncoding("utf8");
      let body = "";
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        finish(() =>
          status === 200 ? handlers.onSuccess(body) : handlers.onFailure({ description: status, status, body, context: response }),
        );
      });
      response.on("error", (error) => finish(() => handlers.onFailure({ description: error, context: request })));
    });
    request.on("error", (error: Error & { code?: string }) => {
      // A keep-alive socket that the server closed while it sat idle in the agent fails with
      // ECONNRESET as soon as it is reused, before any response: the request never reached
      // the server. A GET is sent once more on a new socket (Node's documented remedy); a
      // POST is not, since the server may have read its body.
      if (mayRetry && !exchange.isDone && init.method === "GET" && request.reusedSocket && error.code === "ECONNRESET") {
        this.#send(url, init, headers, handlers, exchange, false);
        return;
      }
      finish(() => handlers.onFailure({ description: error, context: request }));
    });
    request.end(init.body);
  }
}

/** One polling request as the transport sees it, across a retry on a new socket. */
interface Exchange {
  isDone: boolean;
  request: ClientRequest | undefined;
}
