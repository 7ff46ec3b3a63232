import type { Packet } from "@volley/engine-parser";
import type { Codec } from "./codec";

/**
 * The last flush one server wrote to a WebSocket, to write the same bytes again when the
 * next session's flush holds the same packets: a broadcast sends the same string to every
 * session, and without this each of them would encode it to UTF-8 (and build its frame
 * headers) again, with two arrays and a buffer per session. A match is checked packet by
 * packet: same type, same string (`===`), same codec. Only flushes of text (and no-data)
 * packets are kept: binary data may be changed in place between two flushes.
 *
 * One per server (no state shared across servers); the bytes are dropped on the next
 * macrotask, so a large broadcast is not kept alive while the server is idle.
 */
export class RecentFrames {
  #codec: Codec | undefined;
  #bytes: Buffer | undefined;
  #types: Array<Packet["type"]> = [];
  #data: Array<string | undefined> = [];
  #clearScheduled = false;

  /** The bytes of the last flush if `packets` encode to them with `codec`. */
  match(packets: readonly Packet[], codec: Codec): Buffer | undefined {
    const bytes = this.#bytes;
    if (bytes === undefined || codec !== this.#codec || packets.length !== this.#types.length) return undefined;
    const types = this.#types;
    const data = this.#data;
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i]!;
      if (packet.type !== types[i] || packet.data !== data[i]) return undefined;
    }
    return bytes;
  }

  /** Keeps `bytes` as the encoding of `packets`, if they are all text. */
  remember(packets: readonly Packet[], codec: Codec, bytes: Buffer): void {
    const types = this.#types;
    const data = this.#data;
    // setting an array's length is a runtime call: skip it when it does not change
    if (types.length !== packets.length) {
      types.length = packets.length;
      data.length = packets.length;
    }
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i]!;
      if (packet.data !== undefined && typeof packet.data !== "string") {
        this.#clear();
        return;
      }
      types[i] = packet.type;
      data[i] = packet.data;
    }
    this.#codec = codec;
    this.#bytes = bytes;
    if (!this.#clearScheduled) {
      this.#clearScheduled = true;
      setImmediate(clearOnImmediate, this);
    }
  }

  /** @internal */
  clear(): void {
    this.#clearScheduled = false;
    this.#clear();
  }

  #clear(): void {
    this.#bytes = undefined;
    this.#codec = undefined;
    // drop the strings (a large broadcast must not stay alive) but keep the arrays' length:
    // without #bytes nothing matches, and the next remember() usually has the same count
    const data = this.#data;
    for (let i = 0; i < data.length; i++) data[i] = undefined;
  }
}

function clearOnImmediate(frames: RecentFrames): void {
  frames.clear();
}
