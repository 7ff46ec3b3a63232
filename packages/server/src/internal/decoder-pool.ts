// The parser Decoders of a server's connections. A decoder only holds state between two
// Engine.IO messages while it waits for the attachments of a binary packet; the rest of
// the time it is idle, and an idle decoder can serve any connection. So connections
// borrow one shared decoder per message and keep their own only while a binary packet is
// half received: an idle connection holds no decoder at all (≈ 0.3 KB less per
// connection; see bench/REPORT.md).
//
// Whether a decoder is idle is known only for decoders that tell it: the default
// `@volley/parser` Decoder has `pendingAttachments` (0 when idle). A custom parser whose
// decoders do not have it gets one decoder per connection, kept for its lifetime, as
// before: the parser contract says nothing of its state between messages.
import type { Packet, ParserDecoder } from "@volley/parser";

/** A decoder that can tell whether it waits for the rest of a packet. */
interface IdleAwareDecoder extends ParserDecoder {
  readonly pendingAttachments: number;
}

/** Lends decoders to connections; one pool per server. */
export class DecoderPool {
  readonly #createDecoder: () => ParserDecoder;
  /** Packets decoded by any decoder of the pool, taken right after each `add()`. */
  #decoded: Packet[] = [];
  /** The idle decoder lent to the next message, if decoders can be shared. */
  #idle: IdleAwareDecoder | undefined;
  /** Whether the parser's decoders report `pendingAttachments`; known after the first one. */
  #shareable: boolean | undefined;

  constructor(createDecoder: () => ParserDecoder) {
    this.#createDecoder = createDecoder;
  }

  /**
   * Decodes one Engine.IO message of a connection. `own` is the decoder the connection
   * kept from its previous message (or undefined). Returns the packets the message
   * completed and the decoder the connection must keep for its next message (undefined
   * when it may borrow again). Throws what the decoder threw; the connection then closes
   * and drops the decoder it was given.
   */
  decode(own: ParserDecoder | undefined, data: unknown): DecodeResult {
    const decoder = own ?? this.#borrow();
    try {
      decoder.add(data);
    } catch (error) {
      this.#decoded = [];
      // the contract: a decoder that threw dropped its partial packet first
      this.#giveBack(decoder);
      throw error;
    }
    const packets = this.#decoded;
    if (packets.length > 0) this.#decoded = [];
    return { packets, decoder: this.#giveBack(decoder) };
  }

  /** The decoder kept by a connection that closes. */
  release(decoder: ParserDecoder): void {
    decoder.destroy();
    this.#giveBack(decoder);
  }

  #borrow(): ParserDecoder {
    const idle = this.#idle;
    if (idle !== undefined) {
      this.#idle = undefined;
      return idle;
    }
    const decoder = this.#createDecoder();
    decoder.on("decoded", (packet) => this.#decoded.push(packet));
    this.#shareable ??= typeof (decoder as Partial<IdleAwareDecoder>).pendingAttachments === "number";
    return decoder;
  }

  /** Returns the decoder to keep with the connection, or undefined once it is back in the pool. */
  #giveBack(decoder: ParserDecoder): ParserDecoder | undefined {
    if (this.#shareable !== true) return decoder;
    if ((decoder as IdleAwareDecoder).pendingAttachments !== 0) return decoder;
    this.#idle ??= decoder as IdleAwareDecoder;
    return undefined;
  }
}

/** What {@link DecoderPool.decode} returns. */
export interface DecodeResult {
  /** The packets the message completed, in order (often none or one). */
  readonly packets: readonly Packet[];
  /** The decoder the connection keeps for its next message, if it holds part of a packet. */
  readonly decoder: ParserDecoder | undefined;
}
