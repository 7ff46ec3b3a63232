import { describe, expect, it } from "@jest/globals";
import { asPrimaryEnvelope, asWorkerEnvelope, MESSAGE_SOURCE, PayloadCodec, payloadFor } from "../../src/wire";

describe("wire", () => {
  const message = {
    type: 3,
    uid: "u",
    nsp: "/",
    data: { packet: { type: 2, nsp: "/", data: ["file", { buf: Buffer.from([0, 1, 255]), typed: new Float32Array([1.5]) }] } },
  };

  it.each([true, false])("carries binary values through MessagePack (binary channel: %s)", (isBinaryChannel) => {
    const codec = new PayloadCodec();
    const payload = codec.encode(message, isBinaryChannel);
    expect(typeof payload === "string").toBe(!isBinaryChannel);
    const decoded = codec.decode(payload) as typeof message;
    const data = decoded.data.packet.data[1] as unknown as { buf: Uint8Array; typed: Uint8Array };
    expect([...data.buf]).toEqual([0, 1, 255]);
    expect([...new Float32Array(new Uint8Array(data.typed).buffer)]).toEqual([1.5]);
  });

  it("turns a payload into the other form and back", () => {
    const bytes = new PayloadCodec().encode(message, true);
    const text = payloadFor(bytes, false);
    expect(typeof text).toBe("string");
    expect(Buffer.from(payloadFor(text, true) as Uint8Array)).toEqual(Buffer.from(bytes as Uint8Array));
    expect(payloadFor(text, false)).toBe(text);
  });

  it("keeps each output intact when the next messages, large or small, are encoded", () => {
    const codec = new PayloadCodec();
    const large = { ...message, data: { big: Buffer.alloc(100 * 1024, 7) } };
    const outputs = [message, large, message].map((m) => {
      const payload = codec.encode(m, true);
      return { payload, decodedAtOnce: codec.decode(payload) };
    });
    // each output is a copy of its own: the later encodings (one past the size the codec
    // keeps its encoder for) changed none
    for (const { payload, decodedAtOnce } of outputs) expect(codec.decode(payload)).toEqual(decodedAtOnce);
    expect(Buffer.from(outputs[0]?.payload as Uint8Array)).toEqual(Buffer.from(outputs[2]?.payload as Uint8Array));
  });

  it("takes only this package's envelopes, whole", () => {
    const publish = { source: MESSAGE_SOURCE, kind: "publish", nsp: "/", uid: "u", payload: "AA==" };
    expect(asWorkerEnvelope(publish)).toBe(publish);
    expect(asWorkerEnvelope({ ...publish, kind: "response" })).toBeUndefined(); // no `to`
    expect(asWorkerEnvelope({ ...publish, kind: "response", to: "v" })).toBeDefined();
    expect(asWorkerEnvelope({ ...publish, source: "_sio_adapter" })).toBeUndefined();
    expect(asWorkerEnvelope({ ...publish, payload: 3 })).toBeUndefined();
    expect(asWorkerEnvelope({ ...publish, kind: "deliver" })).toBeUndefined();
    expect(asWorkerEnvelope("hello")).toBeUndefined();
    expect(asWorkerEnvelope(null)).toBeUndefined();
    const deliver = { ...publish, kind: "deliver", workerId: 2 };
    expect(asPrimaryEnvelope(deliver)).toBe(deliver);
    expect(asPrimaryEnvelope({ ...deliver, workerId: "2" })).toBeUndefined();
    expect(asPrimaryEnvelope({ source: MESSAGE_SOURCE, kind: "gone", nsp: "/", uid: "u", workerId: 2 })).toBeDefined();
    expect(asPrimaryEnvelope(publish)).toBeUndefined();
  });

  it("checks the recovery envelopes field by field", () => {
    const base = { source: MESSAGE_SOURCE, nsp: "/", uid: "u" };
    expect(asWorkerEnvelope({ ...base, kind: "publish", payload: "AA==", offset: "1-0" })).toBeDefined();
    expect(asWorkerEnvelope({ ...base, kind: "publish", payload: "AA==", offset: 1 })).toBeUndefined();
    expect(asWorkerEnvelope({ ...base, kind: "publish", payload: "AA==", offset: "1-0", isLocal: true })).toBeDefined();
    expect(asWorkerEnvelope({ ...base, kind: "publish", payload: "AA==", offset: "1-0", isLocal: 1 })).toBeUndefined();
    expect(asWorkerEnvelope({ ...base, kind: "session", pid: "p", payload: "AA==" })).toBeDefined();
    expect(asWorkerEnvelope({ ...base, kind: "session", payload: "AA==" })).toBeUndefined();
    expect(asWorkerEnvelope({ ...base, kind: "restore", requestId: "r", pid: "p", offset: "o" })).toBeDefined();
    expect(asWorkerEnvelope({ ...base, kind: "restore", requestId: "r", pid: "p" })).toBeUndefined();
    const restored = { ...base, kind: "restored", workerId: 1, requestId: "r", session: "AA==", packets: [{ offset: "o", payload: new Uint8Array(1) }] };
    expect(asPrimaryEnvelope(restored)).toBe(restored);
    expect(asPrimaryEnvelope({ ...restored, session: null, packets: [] })).toBeDefined();
    expect(asPrimaryEnvelope({ ...restored, packets: [{ offset: 1, payload: "AA==" }] })).toBeUndefined();
    expect(asPrimaryEnvelope({ ...restored, packets: [null] })).toBeUndefined();
    expect(asPrimaryEnvelope({ ...base, kind: "echo", workerId: 1, offset: "o" })).toBeDefined();
    expect(asPrimaryEnvelope({ ...base, kind: "echo", workerId: 1 })).toBeUndefined();
  });
});
