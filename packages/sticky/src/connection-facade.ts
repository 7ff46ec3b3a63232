// What the worker's HTTP server sees of a client connection while the worker still routes
// it: a Duplex that takes the request bytes the router lets through and writes responses
// straight to the client's socket. Node.js's http server accepts any Duplex emitted as a
// 'connection'. When the router gives the socket away (back to the primary, or to the
// HTTP server itself for an upgrade) the facade is detached: destroyed without closing the socket.
import { Duplex } from "node:stream";
import type { AddressInfo, Socket } from "node:net";
import type { ServerResponse } from "node:http";

export class ConnectionFacade extends Duplex {
  readonly #socket: Socket;
  readonly #onRead: () => void;
  readonly #onResponseDone: () => void;
  #detached = false;

  /**
   * @param socket the client's socket
   * @param onRead called when the HTTP server wants more bytes (after back-pressure)
   * @param onResponseDone called when a response to one of its requests has been written (or abandoned)
   */
  constructor(socket: Socket, onRead: () => void, onResponseDone: () => void) {
    super({ allowHalfOpen: true, decodeStrings: false });
    this.#socket = socket;
    this.#onRead = onRead;
    this.#onResponseDone = onResponseDone;
  }

  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#socket.remotePort;
  }

  get remoteFamily(): string | undefined {
    return this.#socket.remoteFamily;
  }

  get localAddress(): string | undefined {
    return this.#socket.localAddress;
  }

  get localPort(): number | undefined {
    return this.#socket.localPort;
  }

  address(): AddressInfo | object {
    return this.#socket.address();
  }

  /** Idle timeout of the client's socket (the HTTP server's keep-alive and request timeouts). */
  setTimeout(ms: number, callback?: () => void): this {
    this.#socket.setTimeout(ms);
    if (callback) this.once("timeout", callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.#socket.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.#socket.setKeepAlive(enable, initialDelay);
    return this;
  }

  /** A request of this connection reached the HTTP server: report when its response is written. */
  trackResponse(res: ServerResponse): void {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.#onResponseDone();
    };
    res.once("finish", finish);
    res.once("close", finish);
  }

  /** Leaves the HTTP server without closing the client's socket. */
  detach(): void {
    this.#detached = true;
    this.destroy();
  }

  override _read(): void {
    this.#onRead();
  }

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#detached) {
      callback();
      return;
    }
    this.#socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.#detached) this.#socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#detached) this.#socket.destroy();
    callback(error);
  }
}
