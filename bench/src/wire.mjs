// What goes over the wire in every scenario, shared by the servers and the load generator so
// that all three servers send and receive exactly the same bytes.

/** The Engine.IO websocket URL path (query included) the clients connect to. */
export const SOCKET_IO_PATH = "/socket.io/?EIO=4&transport=websocket";

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
