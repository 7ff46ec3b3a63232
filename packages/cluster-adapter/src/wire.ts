// What travels on the IPC channel between a worker and the primary: an envelope the primary
// routes by its plain fields, around a payload (a cluster message of @volley/adapter) that
// the primary never decodes. The payload is MessagePack, so that Buffers and typed arrays
// nested anywhere cross intact whatever the cluster's `serialization`: raw bytes with
// 'advanced' serialization, base64 text with the default 'json' one (a JSON-serialised Buffer
// would become an object of numbers). Node.js does not tell a worker which serialization its
// channel uses: the primary, which knows (cluster.settings at fork time), sends bytes to the
// workers of an 'advanced' channel, and a worker that received bytes sends bytes from then on.
import { Decoder, Encoder } from "@msgpack/msgpack";

/** Marks the IPC messages of this package among the others of the application. */
export const MESSAGE_SOURCE = "_volley_cluster_adapter";

/** The payload on the channel: MessagePack bytes, or their base64 text on a 'json' channel. */
export type Payload = Uint8Array | string;

interface Routed {
  readonly source: typeof MESSAGE_SOURCE;
  readonly nsp: string;
  /** The sending (worker -> primary) or addressed (primary -> worker) adapter's id, one per namespace. */
  readonly uid: string;
}

/**
 * Worker -> primary: a message for every other worker serving `nsp`. With `offset`, a
 * recoverable broadcast: the primary records it for connection state recovery and echoes
 * it back to the sender, which delivers it to its own clients then (see NodeClusterAdapter).
 * With `isLocal` too, a `local` broadcast: recorded and echoed, relayed to nobody.
 */
export interface PublishEnvelope extends Routed {
  readonly kind: "publish";
  readonly payload: Payload;
  readonly offset?: string;
  readonly isLocal?: true;
}

/** Worker -> primary: a response for the worker whose adapter of `nsp` is `to`. */
export interface ResponseEnvelope extends Routed {
  readonly kind: "response";
  readonly to: string;
  readonly payload: Payload;
}

/** Worker -> primary: keep the session of a socket that disconnected (connection state recovery). */
export interface SessionEnvelope extends Routed {
  readonly kind: "session";
  readonly pid: string;
  readonly payload: Payload;
}

/** Worker -> primary: the session of `pid` and the packets after `offset`, please. */
export interface RestoreEnvelope extends Routed {
  readonly kind: "restore";
  readonly requestId: string;
  readonly pid: string;
  readonly offset: string;
}

/** Primary -> worker: a message or response from worker `workerId`. */
export interface DeliverEnvelope extends Routed {
  readonly kind: "deliver";
  readonly workerId: number;
  readonly payload: Payload;
}

/** Primary -> worker: worker `workerId`, whose adapter of `nsp` was `uid`, exited. */
export interface GoneEnvelope extends Routed {
  readonly kind: "gone";
  readonly workerId: number;
}

/** Primary -> the sender of a recoverable broadcast: it is recorded, deliver it now. */
export interface EchoEnvelope extends Routed {
  readonly kind: "echo";
  readonly workerId: number;
  readonly offset: string;
}

/** Primary -> worker: the answer to a RestoreEnvelope (`session` null: not recoverable). */
export interface RestoredEnvelope extends Routed {
  readonly kind: "restored";
  readonly workerId: number;
  readonly requestId: string;
  readonly session: Payload | null;
  readonly packets: ReadonlyArray<{ readonly offset: string; readonly payload: Payload }>;
}

export type WorkerEnvelope = PublishEnvelope | ResponseEnvelope | SessionEnvelope | RestoreEnvelope;
export type PrimaryEnvelope = DeliverEnvelope | GoneEnvelope | EchoEnvelope | RestoredEnvelope;

/** The envelope a worker sent, or undefined for any other IPC message. */
export function asWorkerEnvelope(message: unknown): WorkerEnvelope | undefined {
  const fields = routedFields(message);
  if (fields === undefined) return undefined;
  switch (fields["kind"]) {
    case "publish":
      return isPayload(fields["payload"]) && isOptionalString(fields["offset"]) && (fields["isLocal"] === undefined || fields["isLocal"] === true)
        ? (message as PublishEnvelope)
        : undefined;
    case "response":
      return isPayload(fields["payload"]) && typeof fields["to"] === "string" ? (message as ResponseEnvelope) : undefined;
    case "session":
      return isPayload(fields["payload"]) && typeof fields["pid"] === "string" ? (message as SessionEnvelope) : undefined;
    case "restore":
      return typeof fields["requestId"] === "string" && typeof fields["pid"] === "string" && typeof fields["offset"] === "string"
        ? (message as RestoreEnvelope)
        : undefined;
    default:
      return undefined;
  }
}

/** The envelope the primary sent, or undefined for any other IPC message. */
export function asPrimaryEnvelope(message: unknown): PrimaryEnvelope | undefined {
  const fields = routedFields(message);
  if (fields === undefined || typeof fields["workerId"] !== "number") return undefined;
  switch (fields["kind"]) {
    case "deliver":
      return isPayload(fields["payload"]) ? (message as DeliverEnvelope) : undefined;
    case "gone":
      return message as GoneEnvelope;
    case "echo":
      return typeof fields["offset"] === "string" ? (message as EchoEnvelope) : undefined;
    case "restored": {
      const packets = fields["packets"];
      const isValid =
        typeof fields["requestId"] === "string" &&
        (fields["session"] === null || isPayload(fields["session"])) &&
        Array.isArray(packets) &&
        packets.every((packet: { offset?: unknown; payload?: unknown } | null) => typeof packet?.offset === "string" && isPayload(packet.payload));
      return isValid ? (message as RestoredEnvelope) : undefined;
    }
    default:
      return undefined;
  }
}

function routedFields(message: unknown): Record<string, unknown> | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  const isRouted = fields["source"] === MESSAGE_SOURCE && typeof fields["nsp"] === "string" && typeof fields["uid"] === "string";
  return isRouted ? fields : undefined;
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function isPayload(value: unknown): value is Payload {
  return typeof value === "string" || value instanceof Uint8Array;
}

/**
 * A message that grew the shared encoder's buffer past this size makes the codec drop that
 * encoder, so that one large broadcast does not keep its buffer alive for good.
 */
const MAX_KEPT_ENCODER_BYTES = 64 * 1024;
const newEncoder = (): Encoder => new Encoder({ ignoreUndefined: true });

/** Encodes and decodes the payloads of one process. */
export class PayloadCodec {
  #encoder = newEncoder();
  readonly #decoder = new Decoder();

  /** `message` as bytes for a channel with 'advanced' serialization, else as base64 text. */
  encode(message: unknown, isBinaryChannel: boolean): Payload {
    const shared = this.#encoder.encodeSharedRef(message);
    // a copy: the shared buffer is overwritten by the next message
    const payload = isBinaryChannel ? shared.slice() : toBase64(shared);
    if (shared.buffer.byteLength > MAX_KEPT_ENCODER_BYTES) this.#encoder = newEncoder();
    return payload;
  }

  /** May throw on a payload that is not MessagePack. */
  decode(payload: Payload): unknown {
    return this.#decoder.decode(typeof payload === "string" ? Buffer.from(payload, "base64") : payload);
  }
}

/** `payload` in the form a channel carries: bytes with 'advanced' serialization, else base64 text. */
export function payloadFor(payload: Payload, isBinaryChannel: boolean): Payload {
  if (isBinaryChannel) return typeof payload === "string" ? Buffer.from(payload, "base64") : payload;
  return typeof payload === "string" ? payload : toBase64(payload);
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
