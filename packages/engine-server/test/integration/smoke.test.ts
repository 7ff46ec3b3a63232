import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { Socket } from "../../src";
import { closeClient, createClient, startServer, waitFor, type TestServer } from "../helpers";

describe("smoke", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("echoes over polling then websocket", async () => {
    server.engine.on("connection", (socket: Socket) => {
      socket.on("message", (data) => socket.send(data));
    });
    const client = createClient(server);
    const upgraded = waitFor(client as never, "upgrade");
    await waitFor(client as never, "open");
    client.send("hello");
    const [reply] = await waitFor<[string]>(client as never, "message");
    expect(reply).toBe("hello");
    await upgraded;
    client.send("again");
    const [reply2] = await waitFor<[string]>(client as never, "message");
    expect(reply2).toBe("again");
    expect(client.transport.name).toBe("websocket");
    await closeClient(client);
  });
});
