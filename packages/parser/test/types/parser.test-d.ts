// Compiled by `pnpm typecheck` (tsc over test/), never run: typed usage must compile, and
// each @ts-expect-error line must stay an error.
import { EventEmitter } from "node:events";
import {
  DecodeError,
  Decoder,
  EncodeError,
  Encoder,
  PacketType,
  type DecodeErrorCode,
  type EncodedChunk,
  type Packet,
  type Parser,
  type ParserDecoder,
  type ParserEncoder,
} from "../../src";
import { parserConformanceCases, registerParserConformance, type ConformanceCase } from "../../src/conformance";

// The default parser fits the contract.
const parser: Parser = { Encoder, Decoder };
const encoder: ParserEncoder = new parser.Encoder();
const chunks: EncodedChunk[] = encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["a"] });
const first: string | ArrayBuffer | ArrayBufferView | Blob | undefined = chunks[0];
void first;

// Options are typed.
new Encoder({ maxDepth: 10, maxAttachments: 2 });
new Decoder({ maxAttachments: 1, maxDepth: 5, maxPacketLength: 100, maxAttachmentBytes: 1000 });
// @ts-expect-error unknown option
new Decoder({ maxAttachmnets: 1 });
// @ts-expect-error options are numbers
new Encoder({ maxDepth: "10" });

// The decoded event hands out a Packet.
const decoder = new Decoder();
decoder.on("decoded", (packet: Packet) => {
  const type: PacketType = packet.type;
  const nsp: string = packet.nsp;
  const id: number | undefined = packet.id;
  void [type, nsp, id];
});
// @ts-expect-error no such event
decoder.on("decode", () => {});
// @ts-expect-error the listener takes a Packet
decoder.on("decoded", (packet: string) => packet);
const pending: number = decoder.pendingAttachments;
void pending;

// Errors carry typed codes.
try {
  decoder.add("2[");
} catch (error) {
  if (error instanceof DecodeError) {
    const code: DecodeErrorCode = error.code;
    void code;
  }
  if (error instanceof EncodeError) {
    // @ts-expect-error an EncodeError code is not a DecodeError code
    const code: DecodeErrorCode = error.code;
    void code;
  }
}

// @ts-expect-error a packet needs a namespace
encoder.encode({ type: PacketType.EVENT, data: ["a"] });

// A custom parser written on Node's EventEmitter fits the contract too.
class MyDecoder extends EventEmitter implements ParserDecoder {
  add(chunk: unknown): void {
    if (typeof chunk === "string") this.emit("decoded", { type: PacketType.EVENT, nsp: "/", data: [chunk] });
  }
  destroy(): void {}
}
class MyEncoder implements ParserEncoder {
  encode(packet: Packet): EncodedChunk[] {
    return [JSON.stringify(packet)];
  }
}
const custom: Parser = { Encoder: MyEncoder, Decoder: MyDecoder };

// @ts-expect-error a Decoder without destroy() does not fit
const incomplete: Parser = { Encoder: MyEncoder, Decoder: class { add(): void {} on(): void {} off(): void {} } };
void incomplete;

// The conformance kit takes any parser and any framework with describe/it.
const cases: ConformanceCase[] = parserConformanceCases(custom, { seed: 3, fuzzIterations: 10 });
void cases;
registerParserConformance(custom, { describe: (_name: string, body: () => void) => body(), it: () => undefined });
// @ts-expect-error `it` is required
registerParserConformance(custom, { describe: () => undefined });
