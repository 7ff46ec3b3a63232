// A small XMLHttpRequest over node:http, installed on globalThis only by the tests that run the
// browser entry in Node.js: it lets the XHR transport talk to a real engine.io server. It
// implements what the transport uses (async requests, text responses, timeout, abort).
import { request as httpRequest, type ClientRequest } from "node:http";

type Handler = (() => void) | null;

export class NodeXMLHttpRequest {
  static readonly instances: NodeXMLHttpRequest[] = [];
  readyState = 0;
  status = 0;
  responseText = "";
  timeout = 0;
  withCredentials = false;
  onreadystatechange: Handler = null;
  onerror: Handler = null;
  ontimeout: Handler = null;
  readonly headers: Record<string, string> = {};
  method = "GET";
  url = "";
  #request: ClientRequest | undefined;
  #isAborted = false;

  constructor() {
    NodeXMLHttpRequest.instances.push(this);
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
    this.#setReadyState(1);
  }

  setRequestHeader(name: string, value: string): void {
    // Like a browser: a forbidden header is refused.
    if (name.toLowerCase() === "cookie") throw new Error(`Refused to set unsafe header "${name}"`);
    this.headers[name] = value;
  }

  send(body: string | null): void {
    const request = httpRequest(this.url, { method: this.method, headers: this.headers });
    this.#request = request;
    if (this.timeout > 0) {
      request.setTimeout(this.timeout, () => {
        request.destroy();
        this.#finish(() => this.ontimeout?.());
      });
    }
    request.on("response", (response) => {
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (this.responseText += chunk));
      response.on("end", () => {
        this.status = response.statusCode ?? 0;
        this.#finish(() => undefined);
      });
    });
    request.on("error", () => this.#finish(() => this.onerror?.()));
    request.end(body ?? undefined);
  }

  abort(): void {
    this.#isAborted = true;
    this.#request?.destroy();
  }

  #finish(after: () => void): void {
    if (this.#isAborted || this.readyState === 4) return;
    this.#setReadyState(4);
    after();
  }

  #setReadyState(state: number): void {
    this.readyState = state;
    this.onreadystatechange?.();
  }
}
