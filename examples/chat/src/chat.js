// The chat itself: usernames, rooms, messages, typing and presence, on a Socket.IO server
// that may be one of several processes sharing an adapter (examples/cluster runs it on N
// workers with @volley/redis-adapter). A user lives in the process that holds their socket;
// what every process must agree on goes between them through the adapter (serverSideEmit,
// see ServerSideEvents in events.d.ts): who holds a name, the rooms with their members and
// recent messages, and how many users are online. On a single process the adapter has no
// peers and those messages go nowhere. Every input from a client (or a peer) is checked
// before use, so a bad packet is refused (or ignored) and never throws.
import { randomBytes, randomUUID } from "node:crypto";

/**
 * @typedef {import("./events").ChatMessage} ChatMessage
 * @typedef {import("./events").RoomNotice} RoomNotice
 * @typedef {import("./events").ClientToServerEvents} ClientToServerEvents
 * @typedef {import("./events").ServerToClientEvents} ServerToClientEvents
 * @typedef {import("./events").ChatSocketData} ChatSocketData
 * @typedef {import("./events").ServerSideEvents} ServerSideEvents
 * @typedef {import("./events").ClaimReply} ClaimReply
 * @typedef {import("./events").RoomChange} RoomChange
 * @typedef {import("./events").RoomSnapshot} RoomSnapshot
 * @typedef {import("@volley/server").Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, ChatSocketData>} ChatServer
 * @typedef {import("@volley/server").Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, ChatSocketData>} ChatSocket
 */

export const LIMITS = Object.freeze({
  nameLength: 20,
  roomLength: 24,
  textLength: 1000,
  clientIdLength: 64,
  roomsPerUser: 10,
  rooms: 200,
  history: 50,
});

export const DEFAULT_ROOM = "general";

// Disconnections the client chose: the name is released at once. Any other (transport
// closed, ping timeout…) may be followed by a reconnection that keeps the name.
const DELIBERATE = new Set(["client namespace disconnect", "server namespace disconnect"]);

const NAME = /^[\p{L}\p{N}_.-]+(?: [\p{L}\p{N}_.-]+)*$/u;
const ROOM = /^[\p{L}\p{N}_-]+$/u;

/** @param {unknown} value @returns {string | undefined} */
export function parseUsername(value) {
  if (typeof value !== "string" || value.length > 4 * LIMITS.nameLength) return undefined;
  const name = value.normalize("NFC").trim();
  return name.length > 0 && name.length <= LIMITS.nameLength && NAME.test(name) ? name : undefined;
}

/** Room names are case-insensitive; "#General" is "general". @param {unknown} value @returns {string | undefined} */
export function parseRoom(value) {
  if (typeof value !== "string" || value.length > 4 * LIMITS.roomLength) return undefined;
  const room = value.normalize("NFC").trim().replace(/^#/, "").toLowerCase();
  return room.length > 0 && room.length <= LIMITS.roomLength && ROOM.test(room) ? room : undefined;
}

/** @param {unknown} value @returns {string | undefined} */
function parseText(value) {
  if (typeof value !== "string" || value.length > LIMITS.textLength + 64) return undefined;
  const text = value.trim();
  return text.length > 0 && text.length <= LIMITS.textLength ? text : undefined;
}

/** Socket.IO rooms also hold every socket id: a prefix keeps chat rooms apart from them. */
export const roomKey = (/** @type {string} */ room) => `room:${room}`;
const nameKey = (/** @type {string} */ name) => name.toLowerCase();

/** @type {ClaimReply} */
const FREE = Object.freeze({ kind: "free" });
/** @type {ClaimReply} */
const TAKEN = Object.freeze({ kind: "taken" });

/**
 * An acknowledgement callback if the client sent one, else a no-op.
 * @template {(...args: any[]) => void} T
 * @param {unknown} ack
 * @returns {T}
 */
const callback = (ack) => /** @type {T} */ (typeof ack === "function" ? ack : () => {});

/** @param {string} message @param {string} code */
const refusal = (message, code) => Object.assign(new Error(message), { data: { code } });

/**
 * A user of this process: their name, rooms and the token that lets a reconnection keep the name.
 * @typedef {object} Session
 * @property {string} name
 * @property {string} token
 * @property {ChatSocket | undefined} socket  the socket using the name (connecting or connected)
 * @property {Set<string>} rooms
 * @property {NodeJS.Timeout | undefined} releaseTimer  set while the user is away
 */

/** @typedef {{ session: Session, isNew: boolean }} Claim */

/**
 * A room, the same on every process: its members (name -> the process holding them, the
 * adapter uid of its main namespace) and its recent messages.
 * @typedef {{ members: Map<string, string>, history: ChatMessage[] }} RoomState
 */

/**
 * Runs the chat on the main namespace of `io`.
 * @param {ChatServer} io
 * @param {{ holdMs: number }} options  how long the name of a user whose connection dropped
 *   stays theirs (the server's connection-state-recovery window)
 * @returns {{ close(): void }} `close()` ends the chat's timers (call it with `io.close()`)
 */
export function attachChat(io, { holdMs }) {
  const bootId = randomBytes(4).toString("hex");
  let sequence = 0;
  const nextId = () => `${bootId}-${(sequence++).toString(36)}`;
  const adapter = io.of("/").adapter;
  const nodeId = nodeIdOf(adapter);
  /** A Lamport clock for claim ids: above the time of every claim this process has seen. */
  let claimClock = 0;
  /** @type {Map<string, Session>} the users of this process, by lower-cased name */
  const sessions = new Map();
  /** @type {Map<string, string>} name key -> id of the claim this process is making for it */
  const pending = new Map();
  /** @type {Map<string, RoomState>} */
  const rooms = new Map();
  /** @type {Map<string, number>} the online count of every other process, by node id */
  const onlineElsewhere = new Map();
  /** The session each socket claimed in the middleware, and whether it was a new one. */
  /** @type {WeakMap<ChatSocket, Claim>} */
  const claims = new WeakMap();
  let snapshotTaken = false;

  /** A socket holds the name from its middleware on, until its connection closes. @param {Session} session */
  const isInUse = (session) => session.socket !== undefined && session.socket.conn.readyState !== "closed";

  // ---- names ---------------------------------------------------------------------------

  // A new connection claims its name here. Two connections racing for one name cannot both
  // get it: on this process the claim is recorded before anything is awaited; across
  // processes every other one is asked, and of two claims in flight the older one wins. A
  // recovered connection skips the middlewares (the server's skipMiddlewares) and finds its
  // session held for it, here or on another process (see recoverClaim).
  io.use((socket, next) => {
    const auth = /** @type {Record<string, unknown>} */ (socket.handshake.auth);
    const name = parseUsername(auth["username"]);
    if (name === undefined) {
      next(refusal(`a username is 1 to ${LIMITS.nameLength} letters, digits, spaces, ".", "_" or "-"`, "INVALID_NAME"));
      return;
    }
    const token = typeof auth["token"] === "string" ? auth["token"] : undefined;
    const key = nameKey(name);
    const local = sessions.get(key);
    if (local !== undefined && local.releaseTimer !== undefined) {
      // Away, held on this process: back with its token, or not theirs.
      if (local.token !== token || isInUse(local)) {
        next(taken(name));
        return;
      }
      take(socket, { session: local, isNew: false });
      next();
      return;
    }
    if ((local !== undefined && isInUse(local)) || pending.has(key)) {
      next(taken(name));
      return;
    }
    void claimElsewhere(key, token, false).then((outcome) => {
      if (outcome === "taken") return next(taken(name));
      if (outcome === "busy") return next(refusal("the chat is busy, try again", "BUSY"));
      // (a session here that is neither in use nor away was a claim whose connection closed
      // before it connected: replaced)
      const session = outcome === "free" ? newSession(name) : handedOver(name, outcome);
      sessions.set(key, session);
      take(socket, { session, isNew: outcome === "free" });
      next();
    });
  });

  /** @param {string} name */
  const taken = (name) => refusal(`the username "${name}" is taken`, "NAME_TAKEN");

  /** @param {string} name @returns {Session} */
  const newSession = (name) => ({ name, token: randomUUID(), socket: undefined, rooms: new Set(), releaseTimer: undefined });

  /** A session another process handed over. @param {string} name @param {{ token: string, rooms: string[] }} from @returns {Session} */
  const handedOver = (name, from) => ({ name, token: from.token, socket: undefined, rooms: new Set(from.rooms), releaseTimer: undefined });

  /** @param {ChatSocket} socket @param {Claim} claim */
  function take(socket, claim) {
    claim.session.socket = socket;
    claims.set(socket, claim);
    socket.data.username = claim.session.name;
  }

  /**
   * A claim id, sortable: the clock (fixed width), then the process. The clock is past every
   * claim seen, so a claim made after this process let another one take the name is younger
   * than that one, and loses to it whatever the clocks of the machines say.
   */
  function nextClaimId() {
    claimClock = Math.max(claimClock + 1, Date.now());
    return `${claimClock.toString(36).padStart(10, "0")}-${nodeId}`;
  }

  /** @param {string} claimId another process's */
  function observeClaim(claimId) {
    const time = parseInt(claimId.slice(0, 10), 36);
    // (a time far ahead is not believed: it would make this process's claims lose for long)
    if (Number.isSafeInteger(time) && time > claimClock && time < Date.now() + 60_000) claimClock = time;
  }

  /**
   * Asks every other process whether the name is free: "taken" if one holds it or is
   * claiming it since before, "busy" if one did not answer in time, else "free" or the
   * session of a user who was away, handed over by the process that held it.
   * @param {string} key @param {string | undefined} token @param {boolean} recovered
   * @returns {Promise<"free" | "taken" | "busy" | { token: string, rooms: string[] }>}
   */
  async function claimElsewhere(key, token, recovered) {
    const claimId = nextClaimId();
    pending.set(key, claimId);
    try {
      const replies = await io.serverSideEmitWithAck("chat:claim", key, claimId, token ?? null, recovered);
      /** @type {"free" | { token: string, rooms: string[] }} */
      let outcome = "free";
      for (const reply of replies) {
        const parsed = parseClaimReply(reply);
        if (parsed.kind === "taken") return "taken";
        if (parsed.kind === "handover") outcome = { token: parsed.token, rooms: parsed.rooms };
      }
      return outcome;
    } catch {
      return "busy";
    } finally {
      pending.delete(key);
    }
  }

  io.on("chat:claim", (key, claimId, token, recovered, answer) => {
    if (typeof answer !== "function") return;
    if (typeof key !== "string" || typeof claimId !== "string") return answer(TAKEN);
    observeClaim(claimId);
    const session = sessions.get(key);
    if (session !== undefined && isInUse(session)) return answer(TAKEN);
    if (session !== undefined && session.releaseTimer !== undefined) {
      if (recovered !== true && session.token !== token) return answer(TAKEN);
      // The user is back on the asking process: it takes the session, rooms and all.
      clearTimeout(session.releaseTimer);
      sessions.delete(key);
      return answer({ kind: "handover", token: session.token, rooms: [...session.rooms] });
    }
    if (session !== undefined) sessions.delete(key);
    // Claiming it too: the older claim wins.
    const mine = pending.get(key);
    return answer(mine !== undefined && mine < claimId ? TAKEN : FREE);
  });

  // ---- connections ---------------------------------------------------------------------

  io.on("connection", (socket) => {
    const ready = Promise.resolve(claims.get(socket) ?? recoverClaim(socket));
    // The listeners are there at once, so that nothing the client sends is lost while a
    // recovered session is fetched from another process; each waits for the session.
    /**
     * @template {unknown[]} A
     * @param {(session: Session, ...args: A) => void} listener
     * @returns {(...args: A) => void}
     */
    const withSession = (listener) => (...args) => {
      void ready.then((claim) => {
        if (claim !== undefined) listener(claim.session, ...args);
      });
    };
    void ready.then((claim) => {
      if (claim === undefined) {
        // Recovered after the name was released (and maybe taken by someone else).
        socket.disconnect(true);
        return;
      }
      start(socket, claim);
    });

    socket.on("room:join", withSession((session, value, ack) => {
      const reply = callback(ack);
      const room = parseRoom(value);
      if (room === undefined) return reply({ ok: false, error: `a room name is 1 to ${LIMITS.roomLength} letters, digits, "_" or "-"` });
      if (!session.rooms.has(room) && session.rooms.size >= LIMITS.roomsPerUser) {
        return reply({ ok: false, error: `at most ${LIMITS.roomsPerUser} rooms at once` });
      }
      if (!hasRoomFor(room)) return reply({ ok: false, error: "too many rooms on this server" });
      const { state, announce } = enterRoom(session, socket, room);
      // The answer first, so that the page has the room when the notice comes.
      reply({ ok: true, room, members: [...state.members.keys()], history: state.history });
      announce();
    }));

    socket.on("room:leave", withSession((session, value, ack) => {
      const reply = callback(ack);
      const room = parseRoom(value);
      if (room === undefined || !session.rooms.has(room)) return reply({ ok: false, error: "not in that room" });
      socket.leave(roomKey(room));
      exitRoom(session, room);
      reply({ ok: true });
    }));

    socket.on("message", withSession((session, value, ack) => {
      const reply = callback(ack);
      const input = typeof value === "object" && value !== null ? /** @type {Record<string, unknown>} */ (value) : {};
      const room = parseRoom(input["room"]);
      const text = parseText(input["text"]);
      const clientId = input["clientId"];
      if (room === undefined || !session.rooms.has(room)) return reply({ ok: false, error: "not in that room" });
      if (text === undefined) return reply({ ok: false, error: `a message is 1 to ${LIMITS.textLength} characters` });
      /** @type {ChatMessage} */
      const message = { id: nextId(), room, from: session.name, text, at: Date.now() };
      if (typeof clientId === "string" && clientId.length <= LIMITS.clientIdLength) message.clientId = clientId;
      change({ kind: "message", message });
      io.to(roomKey(room)).emit("message", message);
      reply({ ok: true, id: message.id });
    }));

    socket.on("typing", withSession((session, value, typing) => {
      const room = parseRoom(value);
      if (room === undefined || !session.rooms.has(room)) return;
      // Volatile: a typing hint is worthless later, so it is neither buffered nor replayed.
      socket.to(roomKey(room)).volatile.emit("typing", { room, user: session.name, typing: typing === true });
    }));

    socket.on("disconnect", withSession((session, reason) => {
      if (session.socket !== socket) return;
      session.socket = undefined;
      broadcastOnline();
      if (DELIBERATE.has(reason)) endSession(session);
      else holdName(session);
    }));
  });

  /** A connection with its session: what it gets first. @param {ChatSocket} socket @param {Claim} claim */
  function start(socket, { session, isNew }) {
    clearTimeout(session.releaseTimer);
    session.releaseTimer = undefined;
    session.socket = socket;
    // A session handed over by another process: its rooms' members are held here now.
    for (const room of session.rooms) {
      if (rooms.get(room)?.members.get(session.name) !== nodeId) change({ kind: "member", room, user: session.name, node: nodeId, present: true });
    }
    if (!socket.recovered) {
      /** @type {string[]} */
      let joining = [];
      if (isNew) {
        // The rooms the page asks for (it was in them before a server restart), else the default.
        const asked = socket.handshake.auth["rooms"];
        const wanted = Array.isArray(asked) ? asked.slice(0, LIMITS.roomsPerUser).map(parseRoom) : [DEFAULT_ROOM];
        let free = LIMITS.rooms - rooms.size;
        joining = [...new Set(wanted)].filter(
          /** @returns {room is string} */ (room) => room !== undefined && (rooms.has(room) || free-- > 0),
        );
      } else {
        // Same name and token on a new connection: back in the rooms the server kept.
        for (const room of session.rooms) socket.join(roomKey(room));
      }
      // The session first, so that the page knows its rooms before their "joined" notices.
      socket.emit("session", { username: session.name, token: session.token, rooms: [...session.rooms, ...joining] });
      for (const room of joining) enterRoom(session, socket, room).announce();
    }
    broadcastOnline();
  }

  /**
   * The session of a recovered socket (no middleware ran for it), if it is still away: held
   * on this process, or handed over by the one that held it.
   * @param {ChatSocket} socket
   * @returns {Claim | undefined | Promise<Claim | undefined>}
   */
  function recoverClaim(socket) {
    const name = parseUsername(socket.data.username);
    if (!socket.recovered || name === undefined) return undefined;
    const key = nameKey(name);
    const local = sessions.get(key);
    if (local !== undefined) {
      return local.releaseTimer !== undefined && !isInUse(local) ? { session: local, isNew: false } : undefined;
    }
    if (pending.has(key)) return undefined;
    return claimElsewhere(key, undefined, true).then((outcome) => {
      if (typeof outcome !== "object") return undefined;
      const session = handedOver(name, outcome);
      sessions.set(key, session);
      return { session, isNew: false };
    });
  }

  /** Keeps the session of a user whose connection dropped, for a while. @param {Session} session */
  function holdName(session) {
    session.releaseTimer = setTimeout(() => {
      // A reconnection with the token may be between its middleware and its connection.
      if (isInUse(session)) holdName(session);
      else endSession(session);
    }, holdMs);
  }

  /** The user is gone for good: out of every room, and the name is free. @param {Session} session */
  function endSession(session) {
    clearTimeout(session.releaseTimer);
    session.releaseTimer = undefined;
    for (const room of [...session.rooms]) exitRoom(session, room);
    if (sessions.get(nameKey(session.name)) === session) sessions.delete(nameKey(session.name));
  }

  // ---- rooms (the same on every process) -----------------------------------------------

  /**
   * Puts the user in the room; `announce()` then tells the room if they were not in it.
   * @param {Session} session @param {ChatSocket} socket @param {string} room
   */
  function enterRoom(session, socket, room) {
    const isNew = rooms.get(room)?.members.has(session.name) !== true;
    if (isNew) change({ kind: "member", room, user: session.name, node: nodeId, present: true });
    session.rooms.add(room);
    socket.join(roomKey(room));
    const state = rooms.get(room) ?? { members: new Map(), history: [] };
    return { state, announce: () => isNew && notify(room, session.name, "joined") };
  }

  /** @param {Session} session @param {string} room */
  function exitRoom(session, room) {
    session.rooms.delete(room);
    if (rooms.get(room)?.members.has(session.name) !== true) return;
    change({ kind: "member", room, user: session.name, node: nodeId, present: false });
    notify(room, session.name, "left");
  }

  /** @param {string} room @param {string} user @param {RoomNotice["kind"]} kind */
  function notify(room, user, kind) {
    io.to(roomKey(room)).emit("notice", { id: nextId(), room, user, kind, at: Date.now() });
  }

  /** @param {string} room */
  function hasRoomFor(room) {
    return rooms.has(room) || rooms.size < LIMITS.rooms;
  }

  /** Applies a change here and sends it to the other processes. @param {RoomChange} roomChange */
  function change(roomChange) {
    apply(roomChange);
    // (one call per kind: the server's argument types are checked one union member at a time)
    if (roomChange.kind === "message") io.serverSideEmit("chat:rooms", roomChange);
    else io.serverSideEmit("chat:rooms", roomChange);
  }

  /** @param {RoomChange} roomChange */
  function apply(roomChange) {
    if (roomChange.kind === "message") {
      const history = rooms.get(roomChange.message.room)?.history;
      if (history === undefined) return;
      history.push(roomChange.message);
      if (history.length > LIMITS.history) history.shift();
      return;
    }
    const { room, user, node, present } = roomChange;
    let state = rooms.get(room);
    if (present) {
      if (state === undefined) rooms.set(room, (state = { members: new Map(), history: [] }));
      state.members.set(user, node);
    } else if (state !== undefined && state.members.delete(user) && state.members.size === 0) {
      rooms.delete(room);
    }
  }

  io.on("chat:rooms", (value) => {
    const roomChange = parseRoomChange(value);
    if (roomChange !== undefined) apply(roomChange);
  });

  io.on("chat:snapshot", (answer) => {
    if (typeof answer !== "function") return;
    answer([...rooms].map(([room, state]) => /** @type {RoomSnapshot} */ ([room, [...state.members], state.history])));
  });

  /** A process that starts with no room takes the rooms of the running ones. */
  async function takeSnapshot() {
    snapshotTaken = true;
    try {
      for (const snapshot of await io.serverSideEmitWithAck("chat:snapshot")) mergeSnapshot(snapshot);
    } catch {
      snapshotTaken = false; // a process did not answer: the next one to come up asks again
    }
  }

  /** @param {unknown} snapshot */
  function mergeSnapshot(snapshot) {
    if (!Array.isArray(snapshot)) return;
    for (const entry of snapshot) {
      if (!Array.isArray(entry) || !Array.isArray(entry[1]) || !Array.isArray(entry[2])) continue;
      const room = parseRoom(entry[0]);
      if (room === undefined) continue;
      for (const member of entry[1]) {
        if (Array.isArray(member)) {
          const parsed = parseRoomChange({ kind: "member", room, user: member[0], node: member[1], present: true });
          if (parsed !== undefined) apply(parsed);
        }
      }
      const state = rooms.get(room);
      if (state === undefined) continue;
      const known = new Set(state.history.map((message) => message.id));
      const merged = [...state.history, ...entry[2].map(parseMessage).filter(/** @returns {m is ChatMessage} */ (m) => m !== undefined && !known.has(m.id))];
      state.history = merged.sort((a, b) => a.at - b.at).slice(-LIMITS.history);
    }
  }

  // ---- online count, and the other processes coming and going --------------------------

  const localCount = () => io.of("/").sockets.size;
  const online = () => [...onlineElsewhere.values()].reduce((sum, count) => sum + count, localCount());

  /** Tells the other processes this one's count, and this one's users the total. */
  function broadcastOnline() {
    io.serverSideEmit("chat:online", nodeId, localCount());
    io.local.emit("online", online());
  }

  io.on("chat:online", (node, count) => {
    if (typeof node !== "string" || node === nodeId || !Number.isSafeInteger(count) || count < 0) return;
    onlineElsewhere.set(node, count);
    io.local.emit("online", online());
  });

  const onNodeUp = () => {
    // The newcomer learns this process's count, and takes the rooms if it has none.
    io.serverSideEmit("chat:online", nodeId, localCount());
    if (!snapshotTaken && rooms.size === 0) void takeSnapshot();
  };
  /** @param {string} uid */
  const onNodeDown = (uid) => {
    // Its users are gone with it (those who come back elsewhere take their names again).
    for (const [room, state] of rooms) {
      for (const [user, node] of state.members) if (node === uid) state.members.delete(user);
      if (state.members.size === 0) rooms.delete(room);
    }
    if (onlineElsewhere.delete(uid)) io.local.emit("online", online());
  };
  adapter.on("node-up", onNodeUp);
  adapter.on("node-down", onNodeDown);

  return {
    close() {
      adapter.off("node-up", onNodeUp);
      adapter.off("node-down", onNodeDown);
      for (const session of sessions.values()) clearTimeout(session.releaseTimer);
      sessions.clear();
      rooms.clear();
    },
  };
}

/** The adapter uid of a multi-process adapter (what its node-down events name), else "local". @param {object} adapter */
function nodeIdOf(adapter) {
  const uid = /** @type {{ uid?: unknown }} */ (adapter).uid;
  return typeof uid === "string" ? uid : "local";
}

/** @param {unknown} value @returns {ClaimReply} */
function parseClaimReply(value) {
  const reply = typeof value === "object" && value !== null ? /** @type {Record<string, unknown>} */ (value) : {};
  if (reply["kind"] === "free") return FREE;
  const rooms = reply["rooms"];
  if (reply["kind"] === "handover" && typeof reply["token"] === "string" && Array.isArray(rooms)) {
    return { kind: "handover", token: reply["token"], rooms: rooms.map(parseRoom).filter(/** @returns {r is string} */ (r) => r !== undefined) };
  }
  return TAKEN;
}

/** A room change from another process (or an emitter script), checked. @param {unknown} value @returns {RoomChange | undefined} */
export function parseRoomChange(value) {
  const input = typeof value === "object" && value !== null ? /** @type {Record<string, unknown>} */ (value) : {};
  if (input["kind"] === "message") {
    const message = parseMessage(input["message"]);
    return message === undefined ? undefined : { kind: "message", message };
  }
  const room = parseRoom(input["room"]);
  const user = parseUsername(input["user"]);
  const node = input["node"];
  if (input["kind"] !== "member" || room === undefined || user === undefined || typeof node !== "string" || typeof input["present"] !== "boolean") {
    return undefined;
  }
  return { kind: "member", room, user, node, present: input["present"] };
}

/** @param {unknown} value @returns {ChatMessage | undefined} */
function parseMessage(value) {
  const input = typeof value === "object" && value !== null ? /** @type {Record<string, unknown>} */ (value) : {};
  const room = parseRoom(input["room"]);
  const text = parseText(input["text"]);
  const { id, from, at, clientId } = input;
  if (room === undefined || text === undefined || typeof id !== "string" || typeof from !== "string" || typeof at !== "number") return undefined;
  /** @type {ChatMessage} */
  const message = { id, room, from, text, at };
  if (typeof clientId === "string") message.clientId = clientId;
  return message;
}
