// The kit must catch parsers that break the contract: each broken parser below fails the
// check that covers what it breaks.
import { describe, expect, it, jest } from "@jest/globals";
import * as theirs from "socket.io-parser";
import { Decoder, Encoder, type Packet, type Parser } from "../../src";
import { ConformanceError, parserConformanceCases, registerParserConformance } from "../../src/conformance";

async function failedCases(parser: Parser): Promise<Map<string, unknown>> {
  const failures = new Map<string, unknown>();
  for (const testCase of parserConformanceCases(parser, { fuzzIterations: 50, invalidInputs: [['2"x"']] })) {
    try {
      await testCase.run();
    } catch (error) {
      failures.set(testCase.name, error);
    }
  }
  return failures;
}

async function expectFailure(parser: Parser, caseName: string): Promise<void> {
  const failures = await failedCases(parser);
  const match = [...failures.keys()].find((name) => name.startsWith(caseName));
  expect(match).toBeDefined();
  expect(failures.get(match!)).toBeInstanceOf(Error);
}

describe("the conformance kit catches broken parsers", () => {
  it("passes the default parser", async () => {
    expect([...(await failedCases({ Encoder, Decoder })).keys()]).toEqual([]);
  });

  it("a decoder that loses ack ids", async () => {
    class Forgetful extends Decoder {
      constructor() {
        super();
        const emit = this.emit.bind(this);
        this.emit = ((event: "decoded", packet: Packet) => emit(event, { ...packet, id: undefined })) as never;
      }
    }
    await expectFailure({ Encoder, Decoder: Forgetful }, "ack ids round-trip");
  });

  it("a decoder that emits asynchronously", async () => {
    class Late extends Decoder {
      constructor() {
        super();
        const emit = this.emit.bind(this);
        this.emit = ((event: "decoded", packet: Packet) => {
          queueMicrotask(() => emit(event, packet));
          return true;
        }) as never;
      }
    }
    await expectFailure({ Encoder, Decoder: Late }, "decoded packets are emitted synchronously and in order");
  });

  it("an encoder that writes into the packet it is given", async () => {
    class Meddling extends Encoder {
      override encode(packet: Packet) {
        const chunks = super.encode(packet);
        packet.attachments = chunks.length - 1;
        return chunks;
      }
    }
    await expectFailure({ Encoder: Meddling, Decoder }, "the encoder does not modify the packet");
  });

  it("a decoder whose destroy() keeps the partial packet", async () => {
    class Sticky extends Decoder {
      override destroy(): void {}
    }
    await expectFailure({ Encoder, Decoder: Sticky }, "destroy() drops a partial packet");
  });

  it("a decoder that ignores what it cannot read", async () => {
    class Lenient extends Decoder {
      override add(chunk: unknown): void {
        try {
          super.add(chunk);
        } catch {
          // swallowed: the connection would never be closed
        }
      }
    }
    await expectFailure({ Encoder, Decoder: Lenient }, "the declared invalid inputs are rejected");
    await expectFailure({ Encoder, Decoder: Lenient }, "values that are neither text nor binary");
  });

  it("a decoder that throws something other than an Error", async () => {
    class Stringly extends Decoder {
      override add(chunk: unknown): void {
        try {
          super.add(chunk);
        } catch (error) {
          throw String(error);
        }
      }
    }
    await expectFailure({ Encoder, Decoder: Stringly }, "random and damaged input");
  });

  it("socket.io-parser itself: no validation on encode, stack overflow on deep payloads", async () => {
    const failures = await failedCases(theirs as unknown as Parser);
    expect([...failures.keys()]).toEqual(
      expect.arrayContaining([
        "the encoder refuses invalid packets with an Error",
        "deep and circular payloads give an Error, not a stack overflow",
      ]),
    );
    for (const error of failures.values()) expect(error).toBeInstanceOf(ConformanceError);
  });
});

describe("registerParserConformance", () => {
  it("registers one test per case inside a describe block", () => {
    const describeBlock = jest.fn((_name: string, body: () => void) => body());
    const test = jest.fn();
    registerParserConformance({ Encoder, Decoder }, { describe: describeBlock, it: test }, { title: "mine" });
    expect(describeBlock).toHaveBeenCalledWith("mine", expect.any(Function));
    expect(test).toHaveBeenCalledTimes(parserConformanceCases({ Encoder, Decoder }).length);
    expect(test.mock.calls[0]).toEqual(["encode() returns a non-empty array of strings and binary chunks", expect.any(Function)]);
  });

  it("registers at the top level without describe", () => {
    const test = jest.fn();
    registerParserConformance({ Encoder, Decoder }, { it: test });
    expect(test.mock.calls.length).toBeGreaterThan(10);
  });
});
