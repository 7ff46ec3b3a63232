import { Duplex } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { LeanWebSocket } from "../../src/internal/websocket/lean-websocket";
import { clientFrame } from "../helpers/client-frames";
import { within } from "../helpers";

/** A Duplex standing for the TCP socket: what the WebSocket writes is kept. */
function fakeSocket(): Duplex & { written: Buffer[] } {
  const written: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk);
      callback();
    },
  });
  return Object.assign(socket, { written });
}

describe("LeanWebSocket", () => {
  it("reads the frames that came with a message whose handler threw on the next tick", async () => {
    const socket = fakeSocket();
    const websocket = new LeanWebSocket(socket, Buffer.alloc(0), 0);
    const received: string[] = [];
    let delivered!: () => void;
    const second = new Promise<void>((resolve) => (delivered = resolve));
    websocket.bind({
      receive(data) {
        if (received.push(data.toString()) === 1) throw new Error("application bug");
        delivered();
      },
      closed() {},
      failed() {},
    });
    const chunk = Buffer.concat([clientFrame({ opcode: 0x1, payload: "one" }), clientFrame({ opcode: 0x1, payload: "two" })]);
    expect(() => websocket.read(chunk)).toThrow("application bug");
    expect(received).toEqual(["one"]);
    await within(second, 1000, "the second message");
    expect(received).toEqual(["one", "two"]);
    websocket.terminate();
  });
});
