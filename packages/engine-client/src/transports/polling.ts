import { decodePayload, encodePayload, encodePayloadAsync, type Packet, type RawData } from "@volley/engine-parser";
import createDebug from "debug";
import { ENGINE_CLIENT_ERROR_CODES } from "../errors";
import { Transport } from "../transport";

const debug = createDebug("volley:engine-client:polling");

/** One HTTP request of the polling transport. */
export interface PollingRequestInit {
  method: "GET" | "POST";
  uri: string;
  /** The payload of a POST. */
  body?: string;
}

/**
 * How a request reports back: exactly one of the two, once (the transport ignores any call
 * after the first, and every call after `abort()`, so implementations need not guard).
 */
export interface PollingRequestHandlers {
  onSuccess(body: string): void;
  onFailure(details: { description?: unknown; context?: unknown; status?: number; body?: string }): void;
}

/** A request in flight. */
export interface PendingRequest {
  /** Cancels the request; its handlers are not called any more. */
  abort(): void;
}

/**
 * HTTP long-polling: a GET is always pending to receive, a POST carries each batch to send.
 * Subclasses only say how an HTTP request is made (XMLHttpRequest, node:http).
 */
export abstract class Polling extends Transport {
  #isPolling = false;
  readonly #requests = new Set<PendingRequest>();

  get name(): string {
    return "polling";
  }

  /** Makes one HTTP request; the response body is text. */
  protected abstract request(init: PollingRequestInit, handlers: PollingRequestHandlers): PendingRequest;

  protected doOpen(): void {
    this.#poll();
  }

  override pause(onPause: () => void): void {
    this.setReadyState("pausing");
    // Waits for the pending GET and the pending POST, whichever are in flight (no new request
    // starts while pausing), then pauses.
    const pauseWhenIdle = () => {
      if (this.#isPolling) {
        debug("waiting for the pending GET before pausing");
        this.once("pollComplete", pauseWhenIdle);
      } else if (!this.writable) {
        debug("waiting for the pending POST before pausing");
        this.once("drain", pauseWhenIdle);
      } else {
        debug("paused");
        this.setReadyState("paused");
        onPause();
      }
    };
    pauseWhenIdle();
  }

  override resume(): void {
    if (this.readyState !== "pausing" && this.readyState !== "paused") return;
    debug("resuming");
    this.setReadyState("open");
    if (!this.#isPolling) this.#poll();
  }

  protected override onData(payload: RawData): void {
    if (this.readyState === "closed" || typeof payload !== "string") return;
    for (const packet of decodePayload(payload, this.opts.context.binaryType)) {
      if (this.readyState === "opening" && packet.type === "open") this.onOpen();
      if (packet.type === "close") {
        this.#abortAll();
        this.onClose({ description: "transport closed by the server" });
        return;
      }
      this.onPacket(packet);
      // A listener may have closed the transport (a parse error, a close() from user code).
      if (this.#isClosed()) return;
    }
    this.#isPolling = false;
    this.emit("pollComplete");
    // A pollComplete listener may have resumed polling already.
    if (this.readyState === "open" && !this.#isPolling) this.#poll();
  }

  protected doClose(): void {
    if (this.readyState === "open") {
      debug("sending a close packet");
      // The pending GET is left to the server, which answers it when it handles the close
      // packet; whatever is still open after the POST is aborted so nothing lingers.
      this.#post(encodePayload([{ type: "close" }]), () => this.#abortAll(), () => this.#abortAll());
    } else {
      this.#abortAll();
    }
  }

  protected write(packets: Packet[]): void {
    this.writable = false;
    const done = () => {
      this.writable = true;
      this.emit("drain");
    };
    const fail = (details: Parameters<PollingRequestHandlers["onFailure"]>[0]) => {
      this.onError(ENGINE_CLIENT_ERROR_CODES.POST_ERROR, "xhr post error", details);
    };
    if (packets.some((packet) => isBlobLike(packet.data))) {
      encodePayloadAsync(packets).then(
        (body) => this.#post(body, done, fail),
        (error: unknown) => fail({ description: error }),
      );
    } else {
      this.#post(encodePayload(packets), done, fail);
    }
  }

  #poll(): void {
    debug("polling");
    this.#isPolling = true;
    this.#send(
      { method: "GET", uri: this.#uri() },
      (body) => this.onData(body),
      (details) => this.onError(ENGINE_CLIENT_ERROR_CODES.POLL_ERROR, "xhr poll error", details),
    );
    this.emit("poll");
  }

  #post(body: string, onSuccess: () => void, onFailure: PollingRequestHandlers["onFailure"]): void {
    this.#send({ method: "POST", uri: this.#uri(), body }, (answer) => {
      if (answer === "ok") onSuccess();
      else onFailure({ description: "unexpected POST response", body: answer });
    }, onFailure);
  }

  #send(
    init: PollingRequestInit,
    onSuccess: PollingRequestHandlers["onSuccess"],
    onFailure: PollingRequestHandlers["onFailure"],
  ): void {
    // `pending` is a let: an implementation may report back before request() returns.
    let pending: PendingRequest | undefined;
    let isSettled = false;
    const request: PendingRequest = {
      abort: () => {
        isSettled = true;
        pending?.abort();
      },
    };
    const settle = (report: () => void) => {
      if (isSettled) return;
      isSettled = true;
      this.#requests.delete(request);
      report();
    };
    const handlers: PollingRequestHandlers = {
      onSuccess: (body) => settle(() => onSuccess(body)),
      onFailure: (details) => settle(() => onFailure(details)),
    };
    try {
      pending = this.request(init, handlers);
    } catch (error) {
      // e.g. a header value Node refuses: reported like any failed request, asynchronously.
      const timer = setTimeout(() => handlers.onFailure({ description: error }), 0);
      pending = { abort: () => clearTimeout(timer) };
    }
    if (!isSettled) this.#requests.add(request);
  }

  #isClosed(): boolean {
    return this.readyState === "closed";
  }

  #abortAll(): void {
    for (const request of this.#requests) request.abort();
    this.#requests.clear();
  }

  #uri(): string {
    // Cache busting is on unless explicitly disabled: proxies and old browsers cache GETs.
    return this.requestUri("http", this.opts.timestampRequests !== false, !this.supportsBinary && this.query["sid"] === undefined);
  }
}

function isBlobLike(data: unknown): boolean {
  return typeof Blob === "function" && data instanceof Blob;
}
