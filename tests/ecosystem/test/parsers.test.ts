// Parsers from npm and parsers written to socket.io-parser's contract (an Encoder class whose
// encode(packet) returns strings and binary chunks, a Decoder class that emits "decoded"),
// used unchanged by @volley/server and @volley/client, beside socket.io 4.8 and
// socket.io-client with the same parser.
import { afterEach, describe, expect, it } from "@jest/globals";
import { io as volleyIo, type Socket as VolleySocket } from "@volley/client";
import { EventEmitter } from "node:events";
import { io as socketIoClient, type Socket as SocketIoSocket } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import * as socketIoParser from "socket.io-parser";
import { IMPLEMENTATIONS, startNode, waitFor, within, type Node } from "./helpers/nodes";

/** socket.io-parser's packet shape, written here for the hand-made parser. */
interface ContractPacket {
  type: number;
  nsp: string;
  data?: unknown;
  id?: number;
}

/**
 * A parser written to the published contract by an application: every packet as one JSON
 * text, binary data as base64 objects. Nothing of Volley's or socket.io's is used.
 */
const jsonContractParser = {
  Encoder: class {
    encode(packet: ContractPacket): string[] {
      return [JSON.stringify(packet, (_key, value: unknown) => {
        if (Buffer.isBuffer(value)) return { $b64: value.toString("base64") };
        if (value instanceof ArrayBuffer) return { $b64: Buffer.from(value).toString("base64") };
        return value;
      })];
    }
  },
  Decoder: class extends EventEmitter {
    add(chunk: unknown): void {
      if (typeof chunk !== "string") throw new Error("this parser takes text only");
      const packet = JSON.parse(chunk, (_key, value: unknown) =>
        typeof value === "object" && value !== null && "$b64" in value ? Buffer.from(String((value as { $b64: string }).$b64), "base64") : value,
      ) as ContractPacket;
      this.emit("decoded", packet);
    }
    destroy(): void {
      this.removeAllListeners();
    }
  },
};

const PARSERS = [
  { name: "socket.io-msgpack-parser", parser: msgpackParser },
  { name: "socket.io-parser (published)", parser: socketIoParser },
  { name: "a JSON parser written to the contract", parser: jsonContractParser },
] as const;

type AnyClient = VolleySocket | SocketIoSocket;
const CLIENTS = [
  {
    name: "socket.io-client",
    create: (url: string, parser: object): AnyClient =>
      socketIoClient(url, { forceNew: true, reconnection: false, transports: ["websocket"], parser: parser as never }),
  },
  {
    name: "@volley/client",
    create: (url: string, parser: object): AnyClient =>
      volleyIo(url, { forceNew: true, reconnection: false, transports: ["websocket"], parser: parser as never }),
  },
] as const;

const opened: Node[] = [];
const clients: AnyClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(opened.splice(0).map((node) => node.close()));
});

describe.each(PARSERS)("$name", ({ parser }) => {
  describe.each(IMPLEMENTATIONS)("on $name", (impl) => {
    it.each(CLIENTS)("carries events, acks, binary and broadcasts with $name", async (clientKind) => {
      const node = await startNode(impl, { parser: parser as never });
      opened.push(node);
      node.io.on("connection", (socket) => {
        socket.join("room");
        socket.on("echo", (value: unknown, ack: (answer: unknown) => void) => ack(value));
        socket.on("shout", (text: string) => node.io.to("room").emit("heard", text.toUpperCase()));
      });
      const client = clientKind.create(node.url, parser);
      clients.push(client);
      await waitFor(client, "connect");

      const value = { text: "é✓", n: 42, nested: [true, null, { deep: "x" }] };
      expect(await within(client.emitWithAck("echo", value))).toEqual(value);

      const bytes = await within(client.emitWithAck("echo", Buffer.from([0, 1, 254, 255])));
      expect(Buffer.from(bytes as Uint8Array)).toEqual(Buffer.from([0, 1, 254, 255]));

      const heard = waitFor<[string]>(client, "heard");
      client.emit("shout", "hello");
      expect((await heard)[0]).toBe("HELLO");
    });
  });
});
