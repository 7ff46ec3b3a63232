/** Socket.IO protocol revision spoken by this package. */
export const protocol = 5;

/** The Socket.IO v5 packet types, as written in the first character of a packet. */
export enum PacketType {
  CONNECT = 0,
  DISCONNECT = 1,
  EVENT = 2,
  ACK = 3,
  CONNECT_ERROR = 4,
  BINARY_EVENT = 5,
  BINARY_ACK = 6,
}

/** One Socket.IO packet, as the encoder takes it and the decoder emits it. */
export interface Packet {
  type: PacketType;
  /** The namespace, `/` by default. */
  nsp: string;
  /** CONNECT: auth object; EVENT: [name, ...args]; ACK: args; CONNECT_ERROR: { message, data? }. */
  data?: unknown;
  /** Ack id of an EVENT that expects an acknowledgement, or of the ACK that answers it. */
  id?: number;
  /** Number of binary attachments (BINARY_EVENT and BINARY_ACK). */
  attachments?: number;
}

/**
 * Binary values that may appear anywhere in a payload and travel as attachments: Node.js
 * Buffers (which are Uint8Arrays), ArrayBuffers, typed arrays and DataViews, and Blobs or
 * Files in browsers.
 */
export type BinaryData = ArrayBuffer | ArrayBufferView | Blob;

/**
 * One item of an encoded packet: the text packet, or one binary attachment. The engine
 * sends each item as one Engine.IO message.
 */
export type EncodedChunk = string | BinaryData;

/**
 * Event names an application may not emit, because Socket.IO gives them a meaning of its
 * own. A decoded EVENT using one of them is invalid.
 */
export const RESERVED_EVENTS: ReadonlySet<string> = new Set([
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
]);
