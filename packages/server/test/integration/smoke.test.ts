import { afterEach, describe, expect, it } from "@jest/globals";
import { startServer, TRANSPORT_MODES, waitFor, type TestServer } from "../helpers";

describe.each(TRANSPORT_MODES)("smoke ($name)", (mode) => {
  let server: TestServer;
  afterEach(() => server.close());

  it("connects, emits both ways with acks", async () => {
    server = await startServer({}, mode);
    server.io.on("connection", (socket) => {
      socket.on("hello", (a: string, ack: (v: string) => void) => ack(a + "!"));
      socket.emit("welcome", socket.id);
    });
    const client = server.client();
    const [id] = await waitFor<[string]>(client, "welcome");
    expect(id).toBe(client.id);
    const answer = await client.timeout(2000).emitWithAck("hello", "hi");
    expect(answer).toBe("hi!");
  });
});
