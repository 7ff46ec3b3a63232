// What goes over the wire in every scenario, shared by the servers and the load generator so
// that all three servers send and receive exactly the same bytes.

/** The Engine.IO websocket URL path (query included) the clients connect to. */
export const SOCKET_IO_PATH = "/socket.io/?EIO=4&transport=websocket";

/** The room the servers put the cluster benchmark's latency probes in (`&probe=1` in their query). */
export const PROBE_ROOM = "probes";

/** About 100 bytes of payload carried by every `tick` event. */
const TICK_PAYLOAD = "volley-bench-".repeat(8).slice(0, 100);

/** The data of the n-th `tick` broadcast: `{ n, payload }`. */
export function tickData(n) {
  return { n, payload: TICK_PAYLOAD };
}

/** The text frame a Socket.IO server sends for `io.emit("tick", tickData(n))`. */
export function tickFrame(n) {
  return `42${JSON.stringify(["tick", tickData(n)])}`;
}

/**
 * The data of the n-th stamped `tick` of a latency run: `{ t, n, payload }`, `t` the send
 * time in µs on the monotonic clock shared by every process of the machine ({@link nowMicros}).
 * `t` comes first so that a client finds it at a fixed place in the frame.
 */
export function stampedTickData(n, t) {
  return { t, n, payload: TICK_PAYLOAD };
}

/** How every stamped `tick` frame begins; the digits of `t` follow. */
export const STAMPED_TICK_PREFIX = '42["tick",{"t":';

/**
 * Now in µs on CLOCK_MONOTONIC (`process.hrtime`), the same clock in every process of the
 * machine: a server child's send time and the load generator's receive time compare.
 */
export function nowMicros() {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e6 + Math.floor(nanos / 1000);
}

/**
 * The `t` of a stamped `tick` frame (a Buffer or string starting with
 * {@link STAMPED_TICK_PREFIX}), or NaN when the frame is not one. Reads the digits in place:
 * no JSON parsing on the receive path.
 */
export function stampOf(frame) {
  const text = typeof frame === "string" ? frame : frame.toString("latin1", 0, STAMPED_TICK_PREFIX.length + 20);
  if (!text.startsWith(STAMPED_TICK_PREFIX)) return NaN;
  let t = 0;
  let i = STAMPED_TICK_PREFIX.length;
  for (let code = text.charCodeAt(i); code >= 0x30 && code <= 0x39; code = text.charCodeAt(++i)) t = t * 10 + (code - 0x30);
  return i === STAMPED_TICK_PREFIX.length ? NaN : t;
}

/** The data of an `echo` call. */
export function echoData(client, seq) {
  return { client, seq, text: "hello from the volley bench" };
}

/** The frame a client sends for `socket.emit("echo", data, ack)` with ack id `ackId`. */
export function echoFrame(ackId, data) {
  return `42${ackId}${JSON.stringify(["echo", data])}`;
}

/** The frame a server sends for `ack(data)` of ack id `ackId`. */
export function ackFrame(ackId, data) {
  return `43${ackId}${JSON.stringify([data])}`;
}

// Engine.IO packet types and Socket.IO packet types, as the first bytes of text frames.
export const EIO_OPEN = 0x30; // "0"
export const EIO_CLOSE = 0x31; // "1"
export const EIO_PING = 0x32; // "2"
export const EIO_MESSAGE = 0x34; // "4"
export const SIO_CONNECT = 0x30; // "0" (after the Engine.IO "4")
export const SIO_DISCONNECT = 0x31; // "1"
export const SIO_EVENT = 0x32; // "2"
export const SIO_ACK = 0x33; // "3"
export const SIO_CONNECT_ERROR = 0x34; // "4"
