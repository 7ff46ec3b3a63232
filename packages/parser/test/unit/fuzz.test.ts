import { describe, expect, it } from "@jest/globals";
import { DecodeError, Encoder, isPacketValid, PacketType, type Packet } from "../../src";
import { createRandom, mutate, randomBytes, randomInt, randomString } from "../../src/conformance/random";
import { recordingDecoder } from "../helpers/decode";

const SEED = 20_240_601;
const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

const samples: Packet[] = [
  { type: CONNECT, nsp: "/" },
  { type: CONNECT, nsp: "/admin", data: { token: "123", nested: { list: [1, 2] } } },
  { type: DISCONNECT, nsp: "/admin" },
  { type: EVENT, nsp: "/", data: ["message", "hello", 42, { a: null }] },
  { type: EVENT, nsp: "/chat", id: 1234, data: ["ask", [true, false]] },
  { type: EVENT, nsp: "/", data: ["file", Buffer.from([1, 2, 3]), { inner: [Buffer.from([4])] }] },
  { type: ACK, nsp: "/chat", id: 99, data: ["ok", Buffer.from("bin")] },
  { type: ACK, nsp: "/", id: 0, data: [] },
  { type: CONNECT_ERROR, nsp: "/", data: { message: "Not authorized", data: { retry: false } } },
];

/** Feeds `chunks` and checks the decoder's promise: DecodeErrors only, valid packets only. */
function feed(chunks: readonly unknown[]): { decoded: Packet[]; error: DecodeError | undefined } {
  const { decoder, decoded } = recordingDecoder();
  let error: DecodeError | undefined;
  for (const chunk of chunks) {
    try {
      decoder.add(chunk);
    } catch (thrown) {
      if (!(thrown instanceof DecodeError)) throw thrown;
      error = thrown;
      break;
    }
  }
  for (const packet of decoded) expect(isPacketValid(packet)).toBe(true);
  return { decoded, error };
}

describe(`decoder fuzzing (seed ${SEED})`, () => {
  const encoder = new Encoder();
  const encoded = samples.map((packet) => encoder.encode(packet));

  it("rejects random strings with a DecodeError or decodes them to valid packets", () => {
    const random = createRandom(SEED);
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const text = random() < 0.5 ? randomString(random, 30) : String(randomInt(random, 7)) + randomString(random, 30);
      if (feed([text]).error !== undefined) rejected++;
    }
    expect(rejected).toBeGreaterThan(2500);
  });

  it("rejects random bytes with a DecodeError", () => {
    const random = createRandom(SEED + 1);
    for (let i = 0; i < 500; i++) expect(feed([randomBytes(random, 64)]).error).toBeInstanceOf(DecodeError);
  });

  it("rejects damaged packets with a DecodeError or decodes them to valid packets", () => {
    const random = createRandom(SEED + 2);
    for (let i = 0; i < 3000; i++) {
      const chunks: unknown[] = [...encoded[randomInt(random, encoded.length)]!];
      const at = randomInt(random, chunks.length);
      const target = chunks[at];
      if (typeof target === "string" || target instanceof Uint8Array) chunks[at] = mutate(random, target);
      if (random() < 0.3) chunks.splice(randomInt(random, chunks.length), 1);
      feed(chunks);
    }
  });

  it("handles every prefix of every valid text packet", () => {
    for (const chunks of encoded) {
      const text = chunks[0] as string;
      for (let cut = 0; cut <= text.length; cut++) {
        const { decoded, error } = feed([text.slice(0, cut)]);
        if (cut === text.length) {
          expect(error).toBeUndefined();
          expect(decoded.length + (chunks.length > 1 ? 1 : 0)).toBe(1);
        }
      }
    }
  });

  it("reassembles interleaved sequences of valid packets whatever their order", () => {
    const random = createRandom(SEED + 3);
    for (let round = 0; round < 200; round++) {
      const picked = Array.from({ length: 1 + randomInt(random, 6) }, () => samples[randomInt(random, samples.length)]!);
      const { decoded, error } = feed(picked.flatMap((packet) => encoder.encode(packet)));
      expect(error).toBeUndefined();
      expect(decoded.map((packet) => packet.type)).toEqual(
        picked.map((packet) => packet.type),
      );
    }
  });
});
