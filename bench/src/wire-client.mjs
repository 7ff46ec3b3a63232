// The load generator's client: a raw `ws` WebSocket speaking just enough Engine.IO v4 +
// Socket.IO v5 text protocol by itself (open packet, CONNECT to "/", pong, counting `42`
// events, `echo` calls with acks). It costs the same for every server and as little as
// possible: frames are looked at by their first bytes, never parsed as JSON.
import { WebSocket } from "ws";
import {
  EIO_CLOSE,
  EIO_MESSAGE,
  EIO_OPEN,
  EIO_PING,
  SIO_ACK,
  SIO_CONNECT,
  SIO_CONNECT_ERROR,
  SIO_DISCONNECT,
  SIO_EVENT,
  SOCKET_IO_PATH,
  ackFrame,
  echoData,
  echoFrame,
  nowMicros,
  stampOf,
} from "./wire.mjs";

export class WireClient {
  #ws;
  #index;
  /** `42` events received since connect. */
  events = 0;
  /** The text of the `42` frame that completed the last `expectEvents`, to check a run. */
  lastEvent = undefined;
  /** Acks received since connect. */
  acks = 0;
  #target = Infinity;
  #onTarget = undefined;
  #expectedAck = undefined;
  #onAck = undefined;
  #closed = false;
  /** Where send→receive times (µs) of stamped events go, while a latency run records them. */
  #latencies = undefined;
  /** Why the connection ended, if it did. */
  closeReason = undefined;

  #onLost;

  /** `onLost(why)` is called when the connection ends other than by `close()`. */
  constructor(index, onLost = undefined) {
    this.#index = index;
    this.#onLost = onLost;
  }

  /**
   * Opens the websocket and connects to "/"; resolves on `40{"sid":…}`. Bounded. `query`
   * (e.g. `&probe=1`) is appended to the handshake URL.
   */
  connect(port, timeoutMs, query = "") {
    return new Promise((resolve, reject) => {
      const fail = (why) => {
        clearTimeout(timer);
        this.close();
        reject(new Error(`client ${this.#index}: ${why}`));
      };
      const timer = setTimeout(() => fail(`not connected to "/" after ${timeoutMs} ms`), timeoutMs);
      const ws = new WebSocket(`ws://127.0.0.1:${port}${SOCKET_IO_PATH}${query}`, {
        perMessageDeflate: false,
        skipUTF8Validation: true,
      });
      this.#ws = ws;
      this.#onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      ws.on("message", (data) => this.#onFrame(data));
      ws.on("error", (err) => {
        this.closeReason = `error: ${err.message}`;
        fail(this.closeReason);
      });
      ws.on("close", (code) => {
        const ours = this.#closed;
        this.#closed = true;
        this.closeReason ??= `closed by the server (code ${code})`;
        fail(this.closeReason);
        if (!ours) this.#onLost?.(`client ${this.#index}: ${this.closeReason}`);
      });
    });
  }

  #onConnect = undefined;

  #onFrame(data) {
    const type = data[0];
    if (type === EIO_MESSAGE) {
      const sio = data[1];
      if (sio === SIO_EVENT) {
        if (this.#latencies !== undefined) this.#latencies.push(nowMicros() - stampOf(data));
        if (++this.events === this.#target) {
          this.lastEvent = data.toString();
          this.#onTarget();
        }
      } else if (sio === SIO_ACK) {
        this.#checkAck(data);
      } else if (sio === SIO_CONNECT) {
        this.#onConnect?.();
        this.#onConnect = undefined;
      } else if (sio === SIO_CONNECT_ERROR || sio === SIO_DISCONNECT) {
        this.#lose(`refused or disconnected by the server: ${data.toString()}`);
      }
    } else if (type === EIO_PING && data.length === 1) {
      this.#ws.send("3");
    } else if (type === EIO_OPEN) {
      this.#ws.send("40");
    } else if (type === EIO_CLOSE) {
      this.#lose("Engine.IO close packet");
    }
  }

  /** Calls `onDone` once `count` more `42` events arrived. */
  expectEvents(count, onDone) {
    this.#target = this.events + count;
    this.#onTarget = onDone;
    if (count === 0) onDone();
  }

  /**
   * From now on, pushes the send→receive time in µs of every event (stamped `tick` frames,
   * see wire.mjs `stampedTickData`; NaN for any other) onto `samples`; `undefined` stops.
   */
  recordLatencies(samples) {
    this.#latencies = samples;
  }

  /**
   * Makes `count` sequential `echo` calls with acks, checking each answer byte for byte;
   * `onAck` (optional) is called for each right answer.
   */
  runEchoes(count, onDone, onError, onAck = undefined) {
    let left = count;
    const next = () => {
      if (left === 0) {
        this.#onAck = undefined;
        return onDone();
      }
      left--;
      const ackId = this.acks; // ack ids count up per connection, like socket.io-client
      const data = echoData(this.#index, ackId);
      this.#expectedAck = ackFrame(ackId, data);
      this.#ws.send(echoFrame(ackId, data));
    };
    this.#onAck = (ok, got) => {
      if (!ok) return onError(new Error(`client ${this.#index}: expected ack ${this.#expectedAck}, got ${got}`));
      onAck?.();
      next();
    };
    next();
  }

  #checkAck(data) {
    this.acks++;
    const got = data.toString();
    this.#onAck?.(got === this.#expectedAck, got);
  }

  get connected() {
    return !this.#closed && this.#ws?.readyState === WebSocket.OPEN;
  }

  #lose(reason) {
    this.closeReason = reason;
    if (!this.#closed) this.#onLost?.(`client ${this.#index}: ${reason}`);
    this.close();
  }

  /** Closes the websocket at once (no closing handshake to wait for). */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws?.terminate();
  }
}
