// Finds where a request body ends in a byte stream, without copying or changing the bytes:
// a fixed length, or chunked transfer coding (RFC 9112 §7.1: size lines with extensions,
// data, CRLF, a last chunk, trailer lines, an empty line). The bytes themselves go on
// untouched to the worker's HTTP server, which decodes them.

const LF = 10;

/** The longest chunk-size or trailer line accepted; a longer one ends the framing (the HTTP server refuses it). */
export const MAX_CHUNK_LINE = 16384;

type State = "size" | "data" | "data-end" | "trailer" | "done";

/** Tracks one request body; `consume()` says how much of each chunk still belongs to it. */
export class BodyFramer {
  #state: State;
  #remaining: number;
  readonly #chunked: boolean;
  #lineLength = 0;
  #lineHasContent = false;
  #lineText = "";
  /** Set when a chunked body is malformed: the framing cannot say where the next request starts. */
  invalid = false;

  constructor(body: { kind: "length"; length: number } | { kind: "chunked" }) {
    this.#chunked = body.kind === "chunked";
    this.#state = this.#chunked ? "size" : "data";
    this.#remaining = body.kind === "length" ? body.length : 0;
  }

  /** Whether the whole body has been seen. */
  get done(): boolean {
    return this.#state === "done";
  }

  /**
   * Consumes body bytes from `buffer[offset..]` and returns the index just past the last
   * one (the start of what follows the body, or `buffer.length`).
   */
  consume(buffer: Uint8Array, offset: number): number {
    let index = offset;
    while (index < buffer.length && this.#state !== "done" && !this.invalid) {
      switch (this.#state) {
        case "data": {
          const take = Math.min(this.#remaining, buffer.length - index);
          index += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = this.#chunked ? "data-end" : "done";
          break;
        }
        case "size":
        case "data-end":
        case "trailer": {
          const end = buffer.indexOf(LF, index);
          const stop = end < 0 ? buffer.length : end;
          this.#takeLineBytes(buffer, index, stop);
          if (end < 0) return buffer.length;
          index = end + 1;
          this.#endLine();
          break;
        }
        default:
          break;
      }
    }
    return index;
  }

  #takeLineBytes(buffer: Uint8Array, start: number, stop: number): void {
    this.#lineLength += stop - start;
    if (this.#lineLength > MAX_CHUNK_LINE) {
      this.invalid = true;
      return;
    }
    for (let i = start; i < stop; i++) {
      if (buffer[i] !== 13) {
        this.#lineHasContent = true;
        break;
      }
    }
    // only the size line's text is needed; it is short
    if (this.#state === "size") this.#lineText += Buffer.from(buffer.buffer, buffer.byteOffset + start, stop - start).toString("latin1");
  }

  #endLine(): void {
    const hasContent = this.#lineHasContent;
    const text = this.#lineText;
    this.#lineLength = 0;
    this.#lineHasContent = false;
    this.#lineText = "";
    switch (this.#state) {
      case "data-end":
        // the CRLF after chunk data
        if (hasContent) this.invalid = true;
        else this.#state = "size";
        break;
      case "size": {
        const sizeText = text.replace(/\r$/, "").split(";")[0]!.trim();
        if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) {
          this.invalid = true;
          break;
        }
        const size = parseInt(sizeText, 16);
        if (size === 0) {
          this.#state = "trailer";
        } else {
          this.#remaining = size;
          this.#state = "data";
        }
        break;
      }
      case "trailer":
        // trailer lines until an empty one
        if (!hasContent) this.#state = "done";
        break;
      default:
        break;
    }
  }
}
