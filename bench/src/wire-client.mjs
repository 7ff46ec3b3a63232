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
  tickFrame,
} from "./wire.mjs";

// `42["tick",{"n":<n>,…` : where n starts, and the length of the frame of tick 0.
const TICK_N_OFFSET = tickFrame(0).indexOf("0");
const TICK_LENGTH_0 = tickFrame(0).length;

/** The `n` of a `tick` frame (a Buffer), read from its digits; -1 when there are none. */
function tickNumber(data) {
  let n = 0;
  let i = TICK_N_OFFSET;
  for (; i < data.length; i++) {
    const code = data[i];
    if (code < 0x30 || code > 0x39) break;
    n = n * 10 + (code - 0x30);
  }
  return i === TICK_N_OFFSET ? -1 : n;
}

const digitsOf = (n) => `${n}`.length;

export class WireClient {
  #ws;
  #index;
  /** `42` events received since connect. */
  events = 0;
  /** The text of the `42` frame that completed the last `expectEvents`, to check a run. */
  lastEvent = undefined;
  /** Acks received since connect. */
  acks = 0;
  /** The socket id the server answered the CONNECT with. */
  sid = undefined;
  #target = Infinity;
  #onTarget = undefined;
  #expectedAck = undefined;
  #onAck = undefined;
  /** When set (expectTicks), every `42` frame goes to it instead of the counting above. */
  #onEvent = undefined;
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
        if (++this.events === this.#target && this.#onEvent === undefined) {
          this.lastEvent = data.toString();
          this.#onTarget();
        }
        this.#onEvent?.(data);
      } else if (sio === SIO_ACK) {
        this.#checkAck(data);
      } else if (sio === SIO_CONNECT) {
        // `40{"sid":"<id>"}`: the socket's id in "/" (what the server's API knows it by)
        this.sid = /"sid":"([^"]*)"/.exec(data.toString())?.[1];
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
   * Checks every `42` frame from now on against the `tick` sequence `first`, `first + step`,
   * … (`count` events): each one's `n` and length, the last one byte for byte. Calls `onDone`
   * after the last one and `onError` at the first frame out of sequence, lost, duplicated or
   * after the last (until `stopTicks()`).
   */
  expectTicks(first, step, count, onDone, onError) {
    let next = first;
    let left = count;
    this.#onEvent = (data) => {
      if (left === 0) return this.#tickError(onError, `a tick after the ${count} expected: ${data.toString()}`);
      const n = tickNumber(data);
      if (n !== next || data.length !== TICK_LENGTH_0 + digitsOf(n) - 1) {
        return this.#tickError(onError, `expected tick ${next}, got ${data.toString()}`);
      }
      next += step;
      if (--left > 0) return;
      const text = data.toString();
      if (text !== tickFrame(n)) return this.#tickError(onError, `last tick ${text}, expected ${tickFrame(n)}`);
      this.lastEvent = text;
      onDone();
    };
    if (count === 0) onDone();
  }

  /** Back to counting `42` frames only (after expectTicks). */
  stopTicks() {
    this.#onEvent = undefined;
  }

  #tickError(onError, why) {
    this.#onEvent = () => undefined; // one report per client
    onError(new Error(`client ${this.#index}: ${why}`));
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
