// The published socket.io-client against a 3-worker sticky cluster, over polling only (which
// needs stickiness: every request of a session must reach its worker), WebSocket only, and
// polling upgraded to WebSocket. Differential: the same scenarios run against
// @socket.io/sticky + socket.io and against @volley/sticky + @volley/server (and
// @volley/sticky + socket.io).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster, type Impl, within } from "../helpers/cluster";
import { Clients, whoami } from "../helpers/clients";
import { POLLING_PATH, RawConnection } from "../helpers/raw-http";

// "volley+socket.io": @volley/sticky also drives the published socket.io server
const IMPLS: Impl[] = ["socketio", "volley", "volley+socket.io"];

describe.each(IMPLS)("socket.io-client against a 3-worker %s sticky cluster", (impl) => {
  let cluster: Cluster;
  const clients = new Clients();

  beforeAll(async () => {
    cluster = await Cluster.start(impl, "round-robin");
  });
  afterEach(() => clients.closeAll());
  afterAll(async () => {
    await cluster?.stop();
    await clients.allClosed();
  });

  it.each<[string, string[]]>([
    ["polling only", ["polling"]],
    // The published @socket.io/sticky now and then leaves a WebSocket-only connection hanging
    // (seen with socket.io's own servers behind it too, once in a few dozen runs): the
    // reference runs the polling and upgrade cases, Volley all three (see the README).
    ...(impl === "socketio" ? [] : [["websocket only", ["websocket"]] as [string, string[]]]),
    ["polling, then websocket", ["polling", "websocket"]],
  ])("%s: every exchange of a session reaches the worker that holds it", async (_name, transports) => {
    // one after the other, so that the balancer has seen each session before the next one
    const connected = [];
    for (let i = 0; i < 3; i++) connected.push(await clients.connect(cluster.url, transports));
    // three sessions on three workers with @volley/sticky; the published package's
    // round-robin counts TCP connections (a retried request moves it on), so only that
    // sessions do land on different workers is asserted for it
    expect(new Set(connected.map((c) => c.hello.workerId)).size).toBeGreaterThanOrEqual(impl === "socketio" ? 2 : 3);
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(connected.map((c) => whoami(c.socket)));
      expect(answers).toEqual(connected.map((c) => c.hello.workerId));
    }
    if (transports.length === 2) {
      for (const { socket } of connected) {
        if (socket.io.engine.transport.name !== "websocket") {
          await within(5000, "upgrade", new Promise((resolve) => socket.io.engine.once("upgrade", resolve)));
        }
        expect(socket.io.engine.transport.name).toBe("websocket");
      }
      const answers = await Promise.all(connected.map((c) => whoami(c.socket)));
      expect(answers).toEqual(connected.map((c) => c.hello.workerId));
    }
  });

  it("answers an unknown sid with 400 Session ID unknown", async () => {
    const connection = await RawConnection.open(cluster.port);
    try {
      const response = await connection.request("GET", `${POLLING_PATH}&sid=AAAAAAAAAAAAAAAAAAAA`);
      expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual({
        status: 400,
        body: { code: 1, message: "Session ID unknown" },
      });
    } finally {
      connection.close();
    }
  });
});
