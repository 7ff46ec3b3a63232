// The load generator's long-polling client: Engine.IO v4 over HTTP/1.1 long-polling and
// Socket.IO v5, on two raw keep-alive TCP connections (one for the GETs, one for the POSTs,
// as a browser has), with the HTTP requests written and the responses read by hand. Like the
// websocket client (wire-client.mjs) it never parses JSON on the receive path: acks are
// compared with the expected text. It costs the same for every server.
import { connect } from "node:net";
import { SOCKET_IO_PATH, ackFrame, echoData, echoFrame } from "./wire.mjs";

const POLLING_PATH = SOCKET_IO_PATH.replace("transport=websocket", "transport=polling");
const RECORD_SEPARATOR = "\x1e";

/**
 * One keep-alive HTTP/1.1 connection, one request at a time. Responses must carry a
 * Content-Length (every Engine.IO server here sends one); anything else fails loudly.
 */
class HttpConnection {
  #socket;
  #host;
  #buffer = "";
  #pending = undefined;
  #closed = false;
  #onLost;

  constructor(port, onLost) {
    this.#host = `127.0.0.1:${port}`;
    this.#onLost = onLost;
    this.#socket = connect(port, "127.0.0.1");
    this.#socket.setNoDelay(true);
    // latin1: one character per byte, so Content-Length counts characters (the payloads
    // here are ASCII)
    this.#socket.setEncoding("latin1");
    this.#socket.on("data", (chunk) => this.#onData(chunk));
    this.#socket.on("error", (err) => this.#lose(`HTTP connection error: ${err.message}`));
    this.#socket.on("close", () => this.#lose("HTTP connection closed by the server"));
  }

  /** Sends a request; resolves with `{ status, body }`. */
  request(method, path, body = undefined) {
    if (this.#closed) return Promise.reject(new Error("HTTP connection closed"));
    if (this.#pending !== undefined) return Promise.reject(new Error(`${method} while a request is pending`));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      const head =
        `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}\r\n` +
        (body === undefined ? "\r\n" : `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      this.#socket.write(head, "latin1");
    });
  }

  #onData(chunk) {
    this.#buffer += chunk;
    while (this.#pending !== undefined) {
      const headEnd = this.#buffer.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      const head = this.#buffer.slice(0, headEnd);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length === null) return this.#lose(`a response without Content-Length: ${head}`);
      const end = headEnd + 4 + Number(length[1]);
      if (this.#buffer.length < end) return;
      const status = Number(head.slice(9, 12));
      const body = this.#buffer.slice(headEnd + 4, end);
      this.#buffer = this.#buffer.slice(end);
      const { resolve } = this.#pending;
      this.#pending = undefined;
      resolve({ status, body });
    }
    if (this.#buffer.length > 0) this.#lose(`bytes with no request pending: ${this.#buffer.slice(0, 200)}`);
  }

  #lose(why) {
    if (this.#closed) return;
    this.close();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(new Error(why));
    this.#onLost(why);
  }

  close() {
    this.#closed = true;
    this.#socket.destroy();
  }
}

export class PollingClient {
  #index;
  #port;
  #get;
  #post;
  #path;
  #postBusy = false;
  #postQueue = [];
  #closed = false;
  #onConnected = undefined;
  #onFailure = undefined;
  #expectedAck = undefined;
  #onAck = undefined;
  /** Acks received since connect (also the next ack id). */
  acks = 0;
  /** Why the session ended, if it did. */
  closeReason = undefined;

  constructor(index, port) {
    this.#index = index;
    this.#port = port;
  }

  /** Handshake, CONNECT to "/", wait for `40{"sid":…}`; then keeps a GET pending. Bounded. */
  connect(timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(`not connected to "/" after ${timeoutMs} ms`), timeoutMs);
      this.#onFailure = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      this.#onConnected = () => {
        clearTimeout(timer);
        resolve();
      };
      const lost = (why) => this.#fail(why);
      this.#get = new HttpConnection(this.#port, lost);
      this.#post = new HttpConnection(this.#port, lost);
      this.#get.request("GET", POLLING_PATH).then(({ status, body }) => {
        const sid = /^0\{.*"sid":"([^"]+)"/.exec(body)?.[1];
        if (status !== 200 || sid === undefined) return this.#fail(`handshake answered ${status} ${body}`);
        this.#path = `${POLLING_PATH}&sid=${encodeURIComponent(sid)}`;
        this.#send("40");
        this.#poll();
      }, (err) => this.#fail(err.message));
    });
  }

  /**
   * Makes `count` sequential `echo` calls with acks, checking each answer byte for byte;
   * `onAck(ms)` (optional) gets each call's round trip.
   */
  runEchoes(count, onDone, onError, onAck = undefined) {
    let left = count;
    let sentAt = 0;
    this.#onFailure = onError;
    const next = () => {
      if (left === 0) {
        this.#onAck = undefined;
        return onDone();
      }
      left--;
      const ackId = this.acks;
      const data = echoData(this.#index, ackId);
      this.#expectedAck = ackFrame(ackId, data);
      sentAt = performance.now();
      this.#send(echoFrame(ackId, data));
    };
    this.#onAck = (ok, got) => {
      if (!ok) return this.#fail(`expected ack ${this.#expectedAck}, got ${got}`);
      onAck?.(performance.now() - sentAt);
      next();
    };
    next();
  }

  /** Sends one packet, after the POST in flight if there is one (then several at once). */
  #send(packet) {
    if (this.#postBusy) {
      this.#postQueue.push(packet);
      return;
    }
    this.#postBusy = true;
    this.#post.request("POST", this.#path, packet).then(({ status, body }) => {
      if (status !== 200 || body !== "ok") return this.#fail(`POST answered ${status} ${body}`);
      this.#postBusy = false;
      if (this.#postQueue.length > 0) {
        const packets = this.#postQueue.join(RECORD_SEPARATOR);
        this.#postQueue = [];
        this.#send(packets);
      }
    }, (err) => this.#fail(err.message));
  }

  #poll() {
    if (this.#closed) return;
    this.#get.request("GET", this.#path).then(({ status, body }) => {
      if (status !== 200) return this.#fail(`GET answered ${status} ${body}`);
      for (const packet of body.split(RECORD_SEPARATOR)) this.#onPacket(packet);
      this.#poll();
    }, (err) => this.#fail(err.message));
  }

  #onPacket(packet) {
    if (this.#closed) return;
    if (packet.startsWith("43")) {
      this.acks++;
      if (this.#onAck === undefined) return this.#fail(`an ack nobody waits for: ${packet}`);
      this.#onAck(packet === this.#expectedAck, packet);
    } else if (packet === "2") this.#send("3");
    else if (packet === "6") return;
    else if (packet.startsWith("40{")) {
      this.#onConnected?.();
      this.#onConnected = undefined;
    } else this.#fail(`unexpected packet ${packet}`);
  }

  #fail(why) {
    if (this.#closed) return;
    this.closeReason = why;
    this.close();
    this.#onFailure?.(new Error(`polling client ${this.#index}: ${why}`));
  }

  get connected() {
    return !this.#closed;
  }

  /** Drops both HTTP connections (the server sees its pending GET closed). */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#get?.close();
    this.#post?.close();
  }
}
