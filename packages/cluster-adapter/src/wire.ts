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

/** Worker -> primary: a message for every other worker serving `nsp`. */
export interface PublishEnvelope {
  readonly source: typeof MESSAGE_SOURCE;
  readonly kind: "publish";
  readonly nsp: string;
  /** The sender's adapter id (one per namespace). */
  readonly uid: string;
  readonly payload: Payload;
}

/** Worker -> primary: a response for the worker whose adapter of `nsp` is `to`. */
export interface ResponseEnvelope {
  readonly source: typeof MESSAGE_SOURCE;
  readonly kind: "response";
  readonly nsp: string;
  readonly uid: string;
  readonly to: string;
  readonly payload: Payload;
}

/** Primary -> worker: a message or response from worker `workerId`. */
export interface DeliverEnvelope {
  readonly source: typeof MESSAGE_SOURCE;
  readonly kind: "deliver";
  readonly nsp: string;
  readonly uid: string;
  readonly workerId: number;
  readonly payload: Payload;
}

/** Primary -> worker: worker `workerId`, whose adapter of `nsp` was `uid`, exited. */
export interface GoneEnvelope {
  readonly source: typeof MESSAGE_SOURCE;
  readonly kind: "gone";
  readonly nsp: string;
  readonly uid: string;
  readonly workerId: number;
}

export type WorkerEnvelope = PublishEnvelope | ResponseEnvelope;
export type PrimaryEnvelope = DeliverEnvelope | GoneEnvelope;

const KINDS_FROM_WORKER: ReadonlySet<unknown> = new Set(["publish", "response"]);
const KINDS_FROM_PRIMARY: ReadonlySet<unknown> = new Set(["deliver", "gone"]);

/** The envelope a worker sent, or undefined for any other IPC message. */
export function asWorkerEnvelope(message: unknown): WorkerEnvelope | undefined {
  if (!hasRoutingFields(message, KINDS_FROM_WORKER)) return undefined;
  const envelope = message as Partial<ResponseEnvelope>;
  if (envelope.kind === "response" && typeof envelope.to !== "string") return undefined;
  return isPayload(envelope.payload) ? (message as WorkerEnvelope) : undefined;
}

/** The envelope the primary sent, or undefined for any other IPC message. */
export function asPrimaryEnvelope(message: unknown): PrimaryEnvelope | undefined {
  if (!hasRoutingFields(message, KINDS_FROM_PRIMARY)) return undefined;
  const envelope = message as Partial<DeliverEnvelope>;
  if (typeof envelope.workerId !== "number") return undefined;
  if (envelope.kind === "deliver" && !isPayload(envelope.payload)) return undefined;
  return message as PrimaryEnvelope;
}

function hasRoutingFields(message: unknown, kinds: ReadonlySet<unknown>): boolean {
  if (typeof message !== "object" || message === null) return false;
  const { source, kind, nsp, uid } = message as Record<string, unknown>;
  return source === MESSAGE_SOURCE && kinds.has(kind) && typeof nsp === "string" && typeof uid === "string";
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
