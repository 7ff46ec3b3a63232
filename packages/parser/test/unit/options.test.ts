import { describe, expect, it } from "@jest/globals";
import { DEFAULT_DECODER_OPTIONS, DEFAULT_ENCODER_OPTIONS, Decoder, Encoder, PARSER_ERROR_CODES, ParserError } from "../../src";

describe("options", () => {
  it("have frozen defaults", () => {
    expect(Object.isFrozen(DEFAULT_ENCODER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_DECODER_OPTIONS)).toBe(true);
    expect(DEFAULT_ENCODER_OPTIONS).toEqual({ maxDepth: 100, maxAttachments: 10 });
    expect(DEFAULT_DECODER_OPTIONS).toEqual({
      maxAttachments: 10,
      maxDepth: 100,
      maxPacketLength: 10_000_000,
      maxAttachmentBytes: 100_000_000,
    });
    expect(new Decoder().options).toEqual(DEFAULT_DECODER_OPTIONS);
    expect(Object.isFrozen(new Encoder().options)).toBe(true);
  });

  it("keep a user's 0 (merged with ??, not ||)", () => {
    expect(new Decoder({ maxAttachments: 0, maxAttachmentBytes: 0 }).options).toMatchObject({
      maxAttachments: 0,
      maxAttachmentBytes: 0,
    });
    expect(new Encoder({ maxAttachments: 0 }).options.maxAttachments).toBe(0);
  });

  it("accept Infinity to lift a limit", () => {
    expect(new Decoder({ maxPacketLength: Infinity }).options.maxPacketLength).toBe(Infinity);
  });

  it.each<[string, () => unknown, ErrorConstructor]>([
    ["a string", () => new Decoder({ maxDepth: "5" as unknown as number }), TypeError],
    ["NaN", () => new Decoder({ maxAttachments: NaN }), TypeError],
    ["a negative number", () => new Decoder({ maxAttachmentBytes: -1 }), RangeError],
    ["a fraction", () => new Encoder({ maxAttachments: 1.5 }), RangeError],
    ["0 where at least 1 is needed", () => new Encoder({ maxDepth: 0 }), RangeError],
    ["0 packet length", () => new Decoder({ maxPacketLength: 0 }), RangeError],
    ["null options", () => new Decoder(null as unknown as object), TypeError],
    ["a reviver that is not a function", () => new Decoder({ reviver: "f" as unknown as () => unknown }), TypeError],
    ["a replacer that is not a function", () => new Encoder({ replacer: null as unknown as () => unknown }), TypeError],
  ])("reject %s", (_name, create, errorClass) => {
    expect(create).toThrow(errorClass);
    // Each is also a ParserError with its code.
    expect(create).toThrow(ParserError);
    expect(create).toThrow(
      expect.objectContaining({ code: errorClass === TypeError ? PARSER_ERROR_CODES.INVALID_OPTION : PARSER_ERROR_CODES.OPTION_OUT_OF_RANGE }),
    );
  });

  it("take a reviver or a replacer alone, as socket.io-parser does", () => {
    const reviver = (_key: string, value: unknown): unknown => value;
    expect(new Decoder(reviver).options).toEqual({ ...DEFAULT_DECODER_OPTIONS, reviver });
    expect(new Encoder(reviver).options).toEqual({ ...DEFAULT_ENCODER_OPTIONS, replacer: reviver });
    expect(Object.isFrozen(new Decoder(reviver).options)).toBe(true);
  });
});
