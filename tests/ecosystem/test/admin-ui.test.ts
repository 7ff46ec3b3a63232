// @socket.io/admin-ui 0.5 instrumenting one server: each scenario runs on socket.io 4.8 and
// on @volley/server, checks what the dashboard must see, and the two runs must observe the
// same (ids as labels, dates and timings left out).
import { afterAll, describe, expect, it } from "@jest/globals";
import { InMemoryStore } from "@socket.io/admin-ui";
import type { Socket as ClientSocket } from "socket.io-client";
import {
  ADMIN_PASSWORD,
  ADMIN_PASSWORD_HASH,
  AdminClient,
  chatApp,
  Labels,
  STACKS,
  connect,
  connected,
  nextEvent,
  startInstrumented,
  statsShape,
  type ServerStats,
  type Stack,
} from "./helpers/admin-ui";

/** Closes what a scenario opened, whatever happened. */
class Resources {
  readonly #clients: Array<{ close(): unknown }> = [];
  readonly #servers: Array<{ close(): Promise<void> }> = [];

  client<T extends { close(): unknown }>(client: T): T {
    this.#clients.push(client);
    return client;
  }

  server<T extends { close(): Promise<void> }>(server: T): T {
    this.#servers.push(server);
    return server;
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.close();
    for (const server of this.#servers) await server.close();
  }
}

function ids(sockets: Array<{ id: string }>, labels: Labels): unknown[] {
  return sockets.map((socket) => labels.of(socket.id)).sort();
}

async function development(stack: Stack): Promise<Record<string, unknown>> {
  const resources = new Resources();
  const labels = new Labels();
  try {
    const server = resources.server(await startInstrumented(stack, { auth: false, mode: "development" }, chatApp));
    // alice: long-polling only, on "/" and "/chat" through one connection
    const alice = resources.client(
      connect(server.url, { transports: ["polling"], auth: { user: "alice" }, query: { team: "red" }, extraHeaders: { "x-volley-test": "alice" } }),
    );
    const aliceChat = alice.io.socket("/chat", { auth: { user: "alice" } });
    aliceChat.connect();
    await Promise.all([connected(alice), connected(aliceChat)]);
    labels.set(alice.id, "alice");
    labels.set(aliceChat.id, "alice/chat");

    const admin = resources.client(new AdminClient(server.url, "/admin", {}, { transports: ["websocket"] }));
    await connected(admin.socket);
    labels.set(admin.socket.id, "admin");
    const [config] = await admin.waitFor("config");
    const [allSockets] = await admin.waitFor("all_sockets");

    // bob over WebSocket, carol upgrading from polling
    const bob = resources.client(connect(server.url, { transports: ["websocket"], auth: { user: "bob" } }));
    await connected(bob);
    labels.set(bob.id, "bob");
    const [bobConnected] = await admin.waitFor("socket_connected", (args) => labels.of((args[0] as { id: string }).id) === "bob");
    const carol = resources.client(connect(server.url, { auth: { user: "carol" } }));
    await connected(carol);
    labels.set(carol.id, "carol");
    await admin.waitFor("socket_updated", (args) => labels.of((args[0] as { id: string }).id) === "carol" && (args[0] as { transport?: string }).transport === "websocket");
    const carolTransports = [
      ...admin.all("socket_connected").filter((args) => labels.of((args[0] as { id: string }).id) === "carol").map((args) => (args[0] as { transport: string }).transport),
      ...admin.all("socket_updated").map((args) => args[0] as { id: string; transport?: string }).filter((update) => labels.of(update.id) === "carol" && update.transport !== undefined).map((update) => update.transport),
    ];

    // events both ways, the ack callback left out of what the dashboard sees
    const answer = await alice.timeout(10_000).emitWithAck("chat", "hi");
    const eventReceived = await admin.waitFor("event_received", (args) => labels.of(args[1]) === "alice");
    const eventSent = await admin.waitFor("event_sent", (args) => labels.of(args[1]) === "alice");
    // data changed by the application
    bob.emit("mood", "happy");
    const [bobUpdated] = await admin.waitFor("socket_updated", (args) => {
      const update = args[0] as { id: string; data?: { mood?: string } };
      return labels.of(update.id) === "bob" && update.data?.mood === "happy";
    });

    // the dashboard's actions on bob
    admin.socket.emit("join", "/", "vip", bob.id);
    const vipJoined = await admin.waitFor("room_joined", (args) => args[1] === "vip");
    const vipAfterJoin = ids(await server.io.of("/").in("vip").fetchSockets(), labels);
    const notice = nextEvent(bob, "notice");
    admin.socket.emit("emit", "/", "vip", "notice", "for the vip room");
    const [noticeText] = await notice;
    admin.socket.emit("leave", "/", "vip", bob.id);
    const vipLeft = await admin.waitFor("room_left", (args) => args[1] === "vip");
    const vipAfterLeave = ids(await server.io.of("/").in("vip").fetchSockets(), labels);
    const bobDisconnect = nextEvent(bob, "disconnect");
    admin.socket.emit("_disconnect", "/", false, bob.id);
    const [bobReason] = await bobDisconnect;
    const bobDisconnected = await admin.waitFor("socket_disconnected", (args) => labels.of(args[1]) === "bob");
    await admin.waitFor("room_left", (args) => labels.of(args[1]) === "lobby" && labels.of(args[2]) === "bob");
    const bobRoomEvents = admin.events
      .filter(({ event, args }) => (event === "room_joined" || event === "room_left") && labels.of(args[2]) === "bob")
      .map(({ event, args }) => [event, ...labels.event(args)]);

    // with `close`: the whole connection of carol goes
    const carolDisconnect = nextEvent(carol, "disconnect");
    admin.socket.emit("_disconnect", "/", true, carol.id);
    const [carolReason] = await carolDisconnect;
    const carolDisconnected = await admin.waitFor("socket_disconnected", (args) => labels.of(args[1]) === "carol");

    // stats once bob's and carol's connections are gone: alice (polling) and the admin remain
    const stats = await admin.nextStats(
      (candidate) => candidate.clientsCount === 2 && candidate.namespaces.some((nsp) => nsp.name === "/" && nsp.socketsCount === 1),
      15_000,
    );
    const eventTypes = new Set(admin.all("server_stats").flatMap((args) => (args[0] as ServerStats).aggregatedEvents.map((event) => event.type)));

    const observed = {
      config,
      allSockets: (allSockets as unknown[]).map((socket) => labels.socket(socket)).sort((a, b) => String(a["id"]).localeCompare(String(b["id"]))),
      bobConnected: labels.socket(bobConnected),
      // (polling first, unless the upgrade won the race with the CONNECT on a loaded machine)
      carolTransports: carolTransports.length === 2 ? carolTransports : ["polling", ...carolTransports],
      answer,
      eventReceived: labels.event(eventReceived),
      eventSent: labels.event(eventSent),
      bobUpdated: (bobUpdated as { data: unknown }).data,
      vipJoined: labels.event(vipJoined),
      vipAfterJoin,
      noticeText,
      vipLeft: labels.event(vipLeft),
      vipAfterLeave,
      bobReason,
      bobDisconnected: labels.event(bobDisconnected),
      bobRoomEvents,
      carolReason,
      carolDisconnected: labels.event(carolDisconnected),
      stats: statsShape(stats),
      eventTypes: [...eventTypes].filter((type) => type !== "rawDisconnection").sort(),
    };

    // what the dashboard must see, on either stack
    expect(observed.config).toEqual({
      supportedFeatures: ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS"],
    });
    const [adminSocket, aliceSocket, aliceChatSocket] = observed.allSockets as Array<Record<string, unknown>>;
    expect(observed.allSockets).toHaveLength(3);
    expect(adminSocket).toMatchObject({ id: "admin", nsp: "/admin", transport: "websocket", rooms: ["admin"] });
    expect(aliceSocket).toMatchObject({
      id: "alice",
      nsp: "/",
      transport: "polling",
      clientId: "<12 chars>",
      data: { user: "alice" },
      rooms: ["alice", "lobby"],
      handshake: { address: "127.0.0.1", query: { team: "red", EIO: "4", transport: "polling" }, custom: "alice", secure: false, xdomain: false },
    });
    // (the middleware is the main namespace's: no data on /chat)
    expect(aliceChatSocket).toMatchObject({ id: "alice/chat", nsp: "/chat", data: {}, rooms: ["alice/chat"] });
    // one connection, two namespaces: one client id
    const rawAll = allSockets as Array<{ id: string; clientId: string }>;
    expect(rawAll.find((socket) => socket.id === alice.id)?.clientId).toBe(rawAll.find((socket) => socket.id === aliceChat.id)?.clientId);
    expect(observed.bobConnected).toMatchObject({ id: "bob", nsp: "/", transport: "websocket", data: { user: "bob" } });
    expect(observed.carolTransports).toEqual(["polling", "websocket"]);
    expect(observed.eventReceived).toEqual(["/", "alice", ["chat", "hi"]]);
    expect(observed.eventSent).toEqual(["/", "alice", ["chat", "echo hi"]]);
    expect(observed.bobUpdated).toEqual({ user: "bob", mood: "happy" });
    expect(observed.vipAfterJoin).toEqual(["bob"]);
    expect(observed.noticeText).toBe("for the vip room");
    expect(observed.vipAfterLeave).toEqual([]);
    expect(observed.bobReason).toBe("io server disconnect");
    expect(observed.bobDisconnected).toEqual(["/", "bob", "server namespace disconnect"]);
    expect(observed.bobRoomEvents).toEqual([
      ["room_joined", "/", "bob", "bob"],
      ["room_joined", "/", "lobby", "bob"],
      ["room_joined", "/", "vip", "bob"],
      ["room_left", "/", "vip", "bob"],
      ["room_left", "/", "bob", "bob"],
      ["room_left", "/", "lobby", "bob"],
    ]);
    expect(observed.carolReason).toBe("io server disconnect");
    expect(observed.carolDisconnected).toEqual(["/", "carol", "server namespace disconnect"]);
    expect(observed.stats).toMatchObject({
      clientsCount: 2,
      pollingClientsCount: 1,
      namespaces: [
        { name: "/", socketsCount: 1 },
        { name: "/admin", socketsCount: 1 },
        { name: "/chat", socketsCount: 1 },
      ],
    });
    expect(observed.eventTypes).toEqual(expect.arrayContaining(["bytesIn", "bytesOut", "packetsIn", "packetsOut", "rawConnection"]));
    return observed;
  } finally {
    await resources.close();
  }
}

async function production(stack: Stack): Promise<Record<string, unknown>> {
  const resources = new Resources();
  const store = new InMemoryStore();
  try {
    const server = resources.server(
      await startInstrumented(
        stack,
        { auth: { type: "basic", username: "admin", password: ADMIN_PASSWORD_HASH }, mode: "production", readonly: true, namespaceName: "/dashboard", store },
        chatApp,
      ),
    );
    const intruder = resources.client(new AdminClient(server.url, "/dashboard", { username: "admin", password: "not the password" }));
    const [refusal] = await nextEvent(intruder.socket, "connect_error");
    const defaultName = resources.client(connect(`${server.url}/admin`, { auth: { username: "admin", password: ADMIN_PASSWORD } }));
    const [noAdminNamespace] = await nextEvent(defaultName, "connect_error");

    const admin = resources.client(new AdminClient(server.url, "/dashboard", { username: "admin", password: ADMIN_PASSWORD }));
    await connected(admin.socket);
    const [sessionId] = await admin.waitFor("session");
    const [config] = await admin.waitFor("config");
    const isSessionStored = await store.doesSessionExist(String(sessionId));
    // a client that leaves: the aggregated events count its engine's close and reason
    const leaver = resources.client(connect(server.url, { transports: ["websocket"] }));
    await connected(leaver);
    leaver.close();
    await admin.waitFor("server_stats", (args) =>
      (args[0] as ServerStats).aggregatedEvents.some((event) => event.type === "rawDisconnection" && event.subType === "transport close"),
    );

    // the dashboard comes back with its session id instead of the password
    const returning = resources.client(new AdminClient(server.url, "/dashboard", { sessionId }));
    await connected(returning.socket);
    await returning.waitFor("config");

    const user: ClientSocket = resources.client(connect(server.url, { auth: { user: "dave" } }));
    await connected(user);
    await user.timeout(10_000).emitWithAck("chat", "hello");
    // readonly: the actions are not even listened to
    admin.socket.emit("_disconnect", "/", false, user.id);
    admin.socket.emit("join", "/", "vip", user.id);
    // two stats later (4 s) the actions would long have been applied
    await admin.nextStats(undefined, 15_000);
    const stats = await admin.nextStats(
      (candidate) => candidate.clientsCount === 3 && candidate.pollingClientsCount === 0 && candidate.namespaces.some((nsp) => nsp.name === "/" && nsp.socketsCount === 1),
      15_000,
    );
    const vip = await server.io.of("/").in("vip").fetchSockets();
    const aggregated = new Set(
      admin.all("server_stats").flatMap((args) => (args[0] as ServerStats).aggregatedEvents.map((event) => event.type)),
    );

    const observed = {
      refusal: (refusal as Error).message,
      noAdminNamespace: (noAdminNamespace as Error).message,
      sessionIdShape: /^[0-9a-f]{16}$/.test(String(sessionId)),
      isSessionStored,
      config,
      returningGotSession: returning.all("session").length,
      adminEvents: [...new Set(admin.events.map((recorded) => recorded.event))].sort(),
      userConnected: user.connected,
      vip: vip.length,
      stats: statsShape(stats),
      // (which stats window holds which event is a matter of timing: the types only)
      aggregated: [...aggregated].sort(),
    };
    expect(observed).toMatchObject({
      refusal: "invalid credentials",
      noAdminNamespace: "Invalid namespace",
      sessionIdShape: true,
      isSessionStored: true,
      config: { supportedFeatures: ["AGGREGATED_EVENTS"] },
      returningGotSession: 0,
      // production mode: no sockets, no events, only the aggregated stats
      adminEvents: ["config", "server_stats", "session"],
      userConnected: true,
      vip: 0,
      stats: {
        clientsCount: 3,
        pollingClientsCount: 0,
        namespaces: [
          { name: "/", socketsCount: 1 },
          { name: "/chat", socketsCount: 0 },
          { name: "/dashboard", socketsCount: 2 },
        ],
      },
    });
    expect(observed.aggregated).toEqual(
      expect.arrayContaining(["bytesIn", "bytesOut", "packetsIn", "packetsOut", "rawConnection", "rawDisconnection"]),
    );
    return observed;
  } finally {
    await resources.close();
  }
}

async function dynamicNamespaces(stack: Stack): Promise<Record<string, unknown>> {
  const resources = new Resources();
  const labels = new Labels();
  try {
    const server = resources.server(
      await startInstrumented(stack, { auth: false, mode: "development" }, (io) => {
        io.of(/^\/room-\d+$/).on("connection", (socket) => {
          socket.join("members");
          socket.on("ping", (ack: (answer: string) => void) => ack("pong"));
        });
      }),
    );
    const admin = resources.client(new AdminClient(server.url, "/admin", {}, { transports: ["websocket"] }));
    await connected(admin.socket);
    labels.set(admin.socket.id, "admin");
    await admin.waitFor("all_sockets");
    // a child namespace created when the client connects: admin-ui hears of it (new_namespace)
    const erin = resources.client(connect(`${server.url}/room-7`, { transports: ["websocket"] }));
    await connected(erin);
    labels.set(erin.id, "erin");
    const [erinConnected] = await admin.waitFor("socket_connected", (args) => labels.of((args[0] as { id: string }).id) === "erin");
    await erin.timeout(10_000).emitWithAck("ping");
    const eventReceived = await admin.waitFor("event_received", (args) => labels.of(args[1]) === "erin");
    admin.socket.emit("join", "/room-7", "vip", erin.id);
    const vipJoined = await admin.waitFor("room_joined", (args) => args[1] === "vip");
    const vip = ids(await server.io.of("/room-7").in("vip").fetchSockets(), labels);
    const stats = await admin.nextStats((candidate) => candidate.namespaces.some((nsp) => nsp.name === "/room-7"), 15_000);
    const observed = {
      erinConnected: labels.socket(erinConnected),
      eventReceived: labels.event(eventReceived),
      vipJoined: labels.event(vipJoined),
      vip,
      namespaces: statsShape(stats)["namespaces"],
    };
    expect(observed).toMatchObject({
      // (admin-ui reports the socket before the parent's connection listeners join it to "members")
      erinConnected: { id: "erin", nsp: "/room-7", rooms: ["erin"] },
      eventReceived: ["/room-7", "erin", ["ping"]],
      vipJoined: ["/room-7", "vip", "erin"],
      vip: ["erin"],
    });
    expect(observed.namespaces).toEqual(expect.arrayContaining([{ name: "/room-7", socketsCount: 1 }]));
    return observed;
  } finally {
    await resources.close();
  }
}

describe("@socket.io/admin-ui 0.5 on one server", () => {
  const observations = new Map<string, Record<string, unknown>>();
  afterAll(() => observations.clear());

  describe.each(STACKS)("%s", (stack) => {
    it("development mode: stats, sockets with rooms, handshake and data, events, and the join/leave/emit/_disconnect actions", async () => {
      observations.set(`development ${stack}`, await development(stack));
    }, 90_000);

    it("production mode with basic auth, a session store, a custom namespace name and readonly", async () => {
      observations.set(`production ${stack}`, await production(stack));
    }, 90_000);

    it("dynamic namespaces: the sockets and events of a child namespace, and actions on it", async () => {
      observations.set(`dynamic ${stack}`, await dynamicNamespaces(stack));
    }, 90_000);
  });

  it.each(["development", "production", "dynamic"])("%s: @volley/server is observed as socket.io 4.8 is", (mode) => {
    const reference = observations.get(`${mode} socket.io 4.8`);
    const volley = observations.get(`${mode} @volley/server`);
    expect(reference).toBeDefined();
    expect(volley).toEqual(reference);
  });
});
