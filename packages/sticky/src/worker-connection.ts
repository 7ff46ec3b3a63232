// One client connection in a worker. The router reads the socket itself and lets each
// request through to the worker's HTTP server (behind a ConnectionFacade) when it belongs
// here: the first request (the primary chose this worker for it), then every request naming
// a session this worker holds. A request that names another session, or none (a new session
// the balancer places), waits until the responses owed on the connection are written; the
// socket then goes back to the primary with the bytes of that request. A WebSocket upgrade
// that belongs here gets the socket itself: the HTTP server and the WebSocket engine then
// own it with nothing in between.
import type { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import createDebug from "debug";
import { BodyFramer } from "./body-framer";
import { ConnectionFacade } from "./connection-facade";
import { stopReading } from "./internal/stop-reading";
import type { ResolvedWorkerOptions } from "./options";
import { parseRequestHead, skipEmptyLines } from "./request-head";

const debug = createDebug("volley:sticky:worker");
const HEAD_END = Buffer.from("\r\n\r\n", "latin1");

/** What a connection needs of its worker. */
export interface WorkerHost {
  /** The HTTP server the requests go to. */
  readonly httpServer: EventEmitter;
  /** The Engine.IO sessions this worker holds. */
  readonly sessions: ReadonlySet<string>;
  readonly options: ResolvedWorkerOptions;
  /** Sends the socket back to the primary with the bytes of its next request. */
  giveBack(socket: Socket, data: Buffer): void;
}

type State = "routing" | "passthrough" | "waiting" | "gone";

export class WorkerConnection {
  readonly #socket: Socket;
  readonly #host: WorkerHost;
  #state: State = "routing";
  #facade: ConnectionFacade | undefined;
  #body: BodyFramer | undefined;
  #pending: Buffer | undefined;
  #firstIsOurs = true;
  #headTimer: NodeJS.Timeout | undefined;
  /** Requests let through whose responses are not written yet. */
  #owed = 0;
  #whenIdle: (() => void) | undefined;

  constructor(socket: Socket, data: Buffer, host: WorkerHost) {
    this.#socket = socket;
    this.#host = host;
    socket.on("error", this.#onError);
    socket.on("close", this.#onClose);
    socket.on("end", this.#onEnd);
    socket.on("timeout", this.#onTimeout);
    this.#process(data);
    // the socket reads already (into its buffer): the 'data' listener takes those bytes first
    if (this.#state === "routing" || this.#state === "passthrough") socket.on("data", this.#onData);
  }

  #responseDone(): void {
    this.#owed--;
    if (this.#owed === 0 && this.#whenIdle) this.#runWhenIdle();
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#state === "passthrough") {
      this.#forward(chunk);
      return;
    }
    if (this.#state !== "routing") return;
    const pending = this.#pending;
    this.#pending = undefined;
    this.#process(pending === undefined ? chunk : Buffer.concat([pending, chunk]));
  };

  #process(buffer: Buffer): void {
    let offset = 0;
    while (offset < buffer.length && this.#state === "routing") {
      if (this.#body !== undefined) {
        const end = this.#body.consume(buffer, offset);
        if (this.#body.invalid) {
          // the body's framing is broken: where the next request starts is unknown
          this.#passthrough(buffer.subarray(offset));
          return;
        }
        this.#forward(buffer.subarray(offset, end));
        offset = end;
        if (this.#body.done) this.#body = undefined;
        continue;
      }
      const start = skipEmptyLines(buffer, offset);
      if (start >= buffer.length) return;
      const end = buffer.indexOf(HEAD_END, start);
      if (end < 0) {
        if (buffer.length - start > this.#host.options.maxHeaderSize) {
          this.#clearHeadTimer();
          this.#passthrough(buffer.subarray(start));
          return;
        }
        this.#pending = buffer.subarray(start);
        this.#startHeadTimer();
        return;
      }
      this.#clearHeadTimer();
      const head = parseRequestHead(buffer.toString("latin1", start, end));
      if (head === undefined) {
        this.#passthrough(buffer.subarray(start));
        return;
      }
      const ours = this.#firstIsOurs || (head.sid !== undefined && this.#host.sessions.has(head.sid));
      this.#firstIsOurs = false;
      if (!ours) {
        debug("next request (sid %s) is not ours: back to the primary", head.sid ?? "none");
        this.#handOff(buffer.subarray(start), true, (data) => {
          this.#detachAll();
          this.#host.giveBack(this.#socket, data);
        });
        return;
      }
      if (head.upgrade) {
        this.#handOff(buffer.subarray(start), false, (data) => this.#upgrade(data));
        return;
      }
      const headEnd = end + HEAD_END.length;
      this.#owed++;
      this.#forward(buffer.subarray(start, headEnd));
      offset = headEnd;
      if (head.expect) {
        // answered through 'checkContinue'/'checkExpectation', which cannot be watched for
        // the end of the response: this connection stays here from now on
        this.#passthrough(buffer.subarray(offset));
        return;
      }
      if (head.body.kind !== "none") this.#body = new BodyFramer(head.body);
    }
  }

  #forward(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.#facade === undefined) {
      this.#facade = new ConnectionFacade(this.#socket, this.#onFacadeRead, () => this.#responseDone());
      this.#host.httpServer.emit("connection", this.#facade);
    }
    if (!this.#facade.push(bytes)) this.#socket.pause();
  }

  readonly #onFacadeRead = (): void => {
    if (this.#state === "routing" || this.#state === "passthrough") this.#socket.resume();
  };

  #passthrough(rest: Buffer): void {
    this.#state = "passthrough";
    this.#forward(rest);
  }

  /**
   * Stops reading, then once every owed response is written, gives the socket away: to
   * another process (`toOtherProcess`: reading must stop at the handle, see stopReading),
   * or to this worker's HTTP server (pausing is enough: what arrives meanwhile stays in the
   * socket's buffer, and a handle stopped behind the stream's back would not restart).
   */
  #handOff(rest: Buffer, toOtherProcess: boolean, action: (data: Buffer) => void): void {
    this.#state = "waiting";
    this.#socket.removeListener("data", this.#onData);
    let extra: Buffer = Buffer.alloc(0);
    if (toOtherProcess) extra = stopReading(this.#socket);
    else this.#socket.pause();
    const data = extra.length === 0 ? Buffer.from(rest) : Buffer.concat([rest, extra]);
    this.#whenIdle = () => action(data);
    if (this.#owed === 0) this.#runWhenIdle();
  }

  #runWhenIdle(): void {
    const action = this.#whenIdle;
    if (action === undefined || this.#state !== "waiting") return;
    if (this.#socket.writableLength > 0) {
      this.#socket.once("drain", () => this.#runWhenIdle());
      return;
    }
    this.#whenIdle = undefined;
    action();
  }

  /** Leaves the socket: the facade goes, the listeners go. */
  #detachAll(): void {
    this.#state = "gone";
    this.#clearHeadTimer();
    this.#facade?.detach();
    this.#facade = undefined;
    this.#socket.removeListener("data", this.#onData);
    this.#socket.removeListener("close", this.#onClose);
    this.#socket.removeListener("end", this.#onEnd);
    this.#socket.removeListener("timeout", this.#onTimeout);
    this.#socket.removeListener("error", this.#onError);
  }

  #upgrade(data: Buffer): void {
    this.#detachAll();
    debug("upgrade: the HTTP server takes the socket");
    // as if the HTTP server had accepted the connection: it reads the upgrade request from
    // these bytes, then the WebSocket engine reads the socket directly
    this.#host.httpServer.emit("connection", this.#socket);
    this.#socket.emit("data", data);
    this.#socket.resume();
  }

  #startHeadTimer(): void {
    if (this.#headTimer !== undefined) return;
    this.#headTimer = setTimeout(() => {
      debug("request head not complete within %d ms", this.#host.options.headersTimeout);
      this.#socket.destroy();
    }, this.#host.options.headersTimeout);
  }

  #clearHeadTimer(): void {
    if (this.#headTimer === undefined) return;
    clearTimeout(this.#headTimer);
    this.#headTimer = undefined;
  }

  readonly #onError = (error: Error): void => {
    debug("socket error: %s", error.message);
    this.#socket.destroy();
  };

  readonly #onEnd = (): void => {
    if (this.#facade !== undefined) this.#facade.push(null);
    else this.#socket.end();
  };

  readonly #onTimeout = (): void => {
    // the HTTP server set the timeout through the facade: it decides
    if (this.#facade !== undefined) this.#facade.emit("timeout");
    else this.#socket.destroy();
  };

  readonly #onClose = (): void => {
    this.#state = "gone";
    this.#clearHeadTimer();
    this.#whenIdle = undefined;
    this.#facade?.destroy();
    this.#facade = undefined;
  };
}
