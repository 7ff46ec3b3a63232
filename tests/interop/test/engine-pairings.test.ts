import { afterEach, describe, expect, it } from "@jest/globals";
import {
  collectUntil,
  connectClient,
  numbered,
  sendThroughout,
  startServer,
  toBuffer,
  waitFor,
  type ClientSocket,
  type Implementation,
  type TestServer,
  type TransportName,
} from "./helpers/peers";

// Every pairing in which at least one side is Volley, over each way of connecting.
const pairings: Array<[server: Implementation, client: Implementation]> = [
  ["volley", "volley"],
  ["volley", "published"],
  ["published", "volley"],
];
const modes: Array<[title: string, transports: TransportName[], finalTransport: TransportName]> = [
  ["polling only", ["polling"], "polling"],
  ["websocket only", ["websocket"], "websocket"],
  ["polling upgraded to websocket", ["polling", "websocket"], "websocket"],
];

let server: TestServer | undefined;
let client: ClientSocket | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(pairings)("%s server with %s client", (serverImplementation, clientImplementation) => {
  describe.each(modes)("%s", (_title, transports, finalTransport) => {
    it("exchanges text and binary in order both ways, across the upgrade, then closes", async () => {
      server = await startServer(serverImplementation, { transports });
      const sessionPromise = server.nextSession();
      client = connectClient(clientImplementation, server.url, { transports });
      const upgraded = transports.length > 1 ? waitFor(client, "upgrade") : Promise.resolve();
      await waitFor(client, "open");
      const session = await sessionPromise;

      // Numbered messages each way at every event-loop turn until the upgrade (if any) is
      // done, and some after it: none may be lost, duplicated or reordered.
      const atServer = collectUntil(session, "end");
      const atClient = collectUntil(client, "end");
      const [sentByClient, sentByServer] = await Promise.all([
        sendThroughout((data) => client!.send(data), upgraded, "end"),
        sendThroughout((data) => session.send(data), upgraded, "end"),
      ]);
      const [fromClient, fromServer] = await Promise.all([atServer, atClient]);
      expect(fromClient).toEqual(numbered(sentByClient));
      expect(fromServer).toEqual(numbered(sentByServer));
      expect(client.transport.name).toBe(finalTransport);

      const binaryAtServer = waitFor<Buffer>(session as never, "message");
      const binaryAtClient = waitFor<Buffer>(client as never, "message");
      client.send(Buffer.from([1, 2, 3, 255]));
      session.send(Buffer.from([9, 8, 7, 0]));
      expect([...toBuffer(await binaryAtServer)]).toEqual([1, 2, 3, 255]);
      expect([...toBuffer(await binaryAtClient)]).toEqual([9, 8, 7, 0]);

      const closed = waitFor<string>(session, "close");
      client.close();
      await expect(closed).resolves.toBe("transport close");
    });
  });
});
