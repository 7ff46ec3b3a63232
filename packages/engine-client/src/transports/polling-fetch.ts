import { Polling, type PendingRequest, type PollingRequestHandlers, type PollingRequestInit } from "./polling";

/**
 * HTTP long-polling over the `fetch` API, for environments without XMLHttpRequest (service
 * workers, Deno, Bun, Node.js 18+). Not the default of either build: pass it in `transports`,
 * e.g. `transports: [Fetch, WebSocket]`. `withCredentials` maps to `credentials: "include"`
 * (otherwise "omit"); in Node.js the socket's cookie jar is used as with the other transports.
 */
export class Fetch extends Polling {
  protected request(init: PollingRequestInit, handlers: PollingRequestHandlers): PendingRequest {
    if (typeof fetch !== "function") {
      this.reportUnavailable("fetch");
      return { abort: () => undefined };
    }
    const { opts } = this;
    const headers = new Headers(opts.extraHeaders);
    if (init.method === "POST") headers.set("Content-Type", "text/plain;charset=UTF-8");
    const cookie = opts.context.cookieJar?.header();
    if (cookie !== undefined) headers.append("Cookie", cookie);

    const controller = new AbortController();
    // Polling ignores every report after the first (and after abort): the timer is only
    // stopped, so that it does not keep a Node.js process waiting.
    const timer =
      opts.requestTimeout > 0
        ? setTimeout(() => {
            handlers.onFailure({ description: `request timed out after ${opts.requestTimeout} ms` });
            controller.abort();
          }, opts.requestTimeout)
        : undefined;

    fetch(init.uri, {
      method: init.method,
      headers,
      body: init.body ?? null,
      credentials: opts.withCredentials ? "include" : "omit",
      signal: controller.signal,
    })
      .then(async (response) => {
        // Set-Cookie is only readable outside browsers (Node.js, Deno), where getSetCookie exists.
        opts.context.cookieJar?.parse((response.headers as { getSetCookie?: () => string[] }).getSetCookie?.());
        const body = await response.text();
        clearTimeout(timer);
        if (response.status === 200) handlers.onSuccess(body);
        else handlers.onFailure({ description: response.status, status: response.status, body, context: response });
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        handlers.onFailure({ description: error });
      });

    return {
      abort: () => {
        clearTimeout(timer);
        controller.abort();
      },
    };
  }
}
