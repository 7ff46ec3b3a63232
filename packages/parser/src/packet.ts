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
