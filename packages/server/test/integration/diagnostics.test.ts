import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Socket } from "../../src";
import { startServer, waitFor, type TestServer } from "../helpers";
import { RawClient } from "../helpers/raw-client";

describe("diagnostics_channel", () => {
  let server: TestServer;
  const subscriptions: Array<[string, (message: unknown) => void]> = [];
  afterEach(async () => {
    for (const [name, listener] of subscriptions.splice(0)) unsubscribe(name, listener);
    await server.close();
  });

  function record(name: string): unknown[] {
    const messages: unknown[] = [];
    const listener = (message: unknown): void => void messages.push(message);
    subscribe(name, listener);
    subscriptions.push([name, listener]);
    return messages;
  }

  it("publishes connections, disconnections, refused CONNECTs and parse errors", async () => {
    const connections = record("volley:server:connection");
    const disconnects = record("volley:server:disconnect");
    const connectErrors = record("volley:server:connect_error");
    const parseErrors = record("volley:server:parse_error");
    server = await startServer();
    server.io.of("/private").use((_socket, next) => next(new Error("nope")));

    const connection = waitFor<[Socket]>(server.io, "connection");
    const raw = await RawClient.connected(server.port);
    const [socket] = await connection;
    expect(connections).toEqual([{ socket }]);

    raw.send("40/unknown,");
    await raw.next();
    raw.send("40/private,");
    await raw.next();
    expect(connectErrors).toEqual([
      { namespace: "/unknown", error: expect.objectContaining({ message: "Invalid namespace" }) },
      { namespace: "/private", error: expect.objectContaining({ message: "nope" }) },
    ]);

    const gone = waitFor(socket, "disconnect");
    raw.send("4x");
    await gone;
    expect(parseErrors).toEqual([{ conn: socket.conn, error: expect.objectContaining({ code: "VOLLEY_PARSER_ERR_UNKNOWN_TYPE" }) }]);
    expect(disconnects).toEqual([{ socket, reason: "parse error", description: parseErrors[0] && (parseErrors[0] as { error: unknown }).error }]);
    raw.close();
  });
});
