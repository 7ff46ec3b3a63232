import { Polling, type PendingRequest, type PollingRequestHandlers, type PollingRequestInit } from "./polling";

/**
 * HTTP long-polling over the browser's `XMLHttpRequest`. `withCredentials` sets the XHR flag
 * (cookies on cross-origin requests; the server must allow credentials in CORS),
 * `extraHeaders` become request headers (a non-simple header makes the browser send a CORS
 * preflight), `requestTimeout` sets `xhr.timeout`.
 */
export class XHR extends Polling {
  protected request(init: PollingRequestInit, handlers: PollingRequestHandlers): PendingRequest {
    if (typeof XMLHttpRequest !== "function") {
      this.reportUnavailable("XMLHttpRequest");
      return { abort: () => undefined };
    }
    const xhr = new XMLHttpRequest();
    try {
      xhr.open(init.method, init.uri, true);
      for (const [name, value] of Object.entries(this.opts.extraHeaders)) {
        try {
          xhr.setRequestHeader(name, value);
        } catch {
          // a header the browser forbids (e.g. Cookie) is skipped rather than failing the request
        }
      }
      if (init.method === "POST") xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
      xhr.setRequestHeader("Accept", "*/*");
      xhr.withCredentials = this.opts.withCredentials;
      if (this.opts.requestTimeout > 0) xhr.timeout = this.opts.requestTimeout;
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== 4) return;
        // A status of 0 means a network error or an abort; onerror/ontimeout report it.
        if (xhr.status === 0) return;
        const status = xhr.status;
        const body = xhr.responseText;
        if (status === 200 || status === 1223) handlers.onSuccess(body);
        else handlers.onFailure({ description: status, status, body, context: xhr });
      };
      xhr.onerror = () => handlers.onFailure({ description: 0, status: 0, context: xhr });
      xhr.ontimeout = () => handlers.onFailure({ description: `request timed out after ${this.opts.requestTimeout} ms`, context: xhr });
      xhr.send(init.body ?? null);
    } catch (error) {
      // Reported asynchronously, like every other outcome, so listeners are attached by then.
      const timer = setTimeout(() => handlers.onFailure({ description: error, context: xhr }), 0);
      return { abort: () => clearTimeout(timer) };
    }
    return { abort: () => xhr.abort() };
  }
}
