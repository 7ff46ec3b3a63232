// The adapter with the real @volley/parser Encoder behind `nsp.encode`, as the server will
// wire it: binary payloads become a text packet plus attachments, encoded once.
import { afterEach, describe, expect, it } from "@jest/globals";
import { Encoder, PacketType, type Packet } from "@volley/parser";
import { Adapter, createBroadcastOptions } from "../../src/index";
import { TestNamespace } from "../helpers/fake-namespace";
import { BusAdapter, MemoryBus } from "../helpers/memory-bus";

const encoder = new Encoder();
const event = (...data: unknown[]): Packet => ({ type: PacketType.EVENT, nsp: "/", data });

let adapters: BusAdapter[] = [];
afterEach(async () => {
  for (const adapter of adapters) await adapter.close();
  adapters = [];
});

describe("with the parser's Encoder", () => {
  it("a binary broadcast is encoded once into text + attachment, shared by every socket", () => {
    const nsp = new TestNamespace("/", undefined, encoder);
    nsp.adapter = new Adapter(nsp);
    const sockets = ["s1", "s2"].map((id) => nsp.connect(id));
    const file = Buffer.from([1, 2, 3]);
    const packet = event("file", file);
    nsp.adapter.broadcast(packet, createBroadcastOptions());
    expect(nsp.encodeCalls).toBe(1);
    const [text, attachment] = sockets[0]!.writes[0]!.encoded;
    expect(text).toBe('51-["file",{"_placeholder":true,"num":0}]');
    expect(attachment).toBe(file);
    expect(sockets[1]!.writes[0]!.encoded).toBe(sockets[0]!.writes[0]!.encoded);
    expect(packet.data).toEqual(["file", file]);
  });

  it("a binary broadcast from another node arrives as a binary packet", async () => {
    const bus = new MemoryBus();
    const nodes = [0, 1].map(() => {
      const nsp = new TestNamespace("/", undefined, encoder);
      const adapter = new BusAdapter(nsp, bus);
      nsp.adapter = adapter;
      adapters.push(adapter);
      return { nsp, adapter };
    });
    await Promise.all(nodes.map(({ adapter }) => adapter.init()));
    const remote = nodes[1]!.nsp.connect("remote");
    await nodes[0]!.adapter.broadcast(event("file", Buffer.from([9, 8])), createBroadcastOptions());
    const [text, attachment] = remote.writes[0]!.encoded;
    expect(text).toBe('51-["file",{"_placeholder":true,"num":0}]');
    expect([...(attachment as Uint8Array)]).toEqual([9, 8]);
  });
});
