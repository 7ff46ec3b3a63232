// The chat itself: usernames, rooms, messages, typing and presence, on a Socket.IO server.
// Everything here is server-side state; every input from a client is checked before use, so a
// bad packet is refused (or ignored) and never throws.
import { randomBytes, randomUUID } from "node:crypto";

/**
 * @typedef {import("./events").ChatMessage} ChatMessage
 * @typedef {import("./events").RoomNotice} RoomNotice
 * @typedef {import("./events").ClientToServerEvents} ClientToServerEvents
 * @typedef {import("./events").ServerToClientEvents} ServerToClientEvents
 * @typedef {import("./events").ChatSocketData} ChatSocketData
 * @typedef {import("@volley/server").Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChatSocketData>} ChatServer
 * @typedef {import("@volley/server").Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChatSocketData>} ChatSocket
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
const roomKey = (/** @type {string} */ room) => `room:${room}`;
const nameKey = (/** @type {string} */ name) => name.toLowerCase();

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
 * A user: their name, rooms and the token that lets a reconnection keep the name.
 * @typedef {object} Session
 * @property {string} name
 * @property {string} token
 * @property {ChatSocket | undefined} socket  the socket using the name (connecting or connected)
 * @property {Set<string>} rooms
 * @property {NodeJS.Timeout | undefined} releaseTimer  set while the user is away
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
  /** @type {Map<string, Session>} by lower-cased name */
  const sessions = new Map();
  /** @type {Map<string, { members: Set<string>, history: ChatMessage[] }>} */
  const rooms = new Map();
  /** The session each socket claimed in the middleware, and whether it was a new one. */
  /** @type {WeakMap<ChatSocket, { session: Session, isNew: boolean }>} */
  const claims = new WeakMap();

  const broadcastOnline = () => io.emit("online", io.of("/").sockets.size);

  /** A socket holds the name from its middleware on, until its connection closes. @param {Session} session */
  const isInUse = (session) => session.socket !== undefined && session.socket.conn.readyState !== "closed";

  // A new connection claims its name here, synchronously, so that two connections racing for
  // one name cannot both get it. A recovered connection skips the middlewares (the server's
  // skipMiddlewares) and finds its session held for it.
  io.use((socket, next) => {
    const auth = /** @type {Record<string, unknown>} */ (socket.handshake.auth);
    const name = parseUsername(auth["username"]);
    if (name === undefined) {
      next(refusal(`a username is 1 to ${LIMITS.nameLength} letters, digits, spaces, ".", "_" or "-"`, "INVALID_NAME"));
      return;
    }
    let session = sessions.get(nameKey(name));
    const isAway = session !== undefined && session.releaseTimer !== undefined;
    if (session !== undefined && (isInUse(session) || (isAway && session.token !== auth["token"]))) {
      next(refusal(`the username "${name}" is taken`, "NAME_TAKEN"));
      return;
    }
    // Neither in use nor away: a claim whose connection closed before it connected.
    if (session !== undefined && !isAway) session = undefined;
    if (session === undefined) {
      session = { name, token: randomUUID(), socket: undefined, rooms: new Set(), releaseTimer: undefined };
      sessions.set(nameKey(name), session);
    }
    session.socket = socket;
    claims.set(socket, { session, isNew: !isAway });
    socket.data.username = session.name;
    next();
  });

  io.on("connection", (socket) => {
    const claim = claims.get(socket) ?? recover(socket);
    if (claim === undefined) {
      // Recovered after the name was released and taken by someone else.
      socket.disconnect(true);
      return;
    }
    const { session, isNew } = claim;
    clearTimeout(session.releaseTimer);
    session.releaseTimer = undefined;
    session.socket = socket;

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

    socket.on("room:join", (value, ack) => {
      const reply = callback(ack);
      const room = parseRoom(value);
      if (room === undefined) return reply({ ok: false, error: `a room name is 1 to ${LIMITS.roomLength} letters, digits, "_" or "-"` });
      if (!session.rooms.has(room) && session.rooms.size >= LIMITS.roomsPerUser) {
        return reply({ ok: false, error: `at most ${LIMITS.roomsPerUser} rooms at once` });
      }
      if (!hasRoomFor(room)) return reply({ ok: false, error: "too many rooms on this server" });
      const { state, announce } = enterRoom(session, socket, room);
      // The answer first, so that the page has the room when the notice comes.
      reply({ ok: true, room, members: [...state.members], history: state.history });
      announce();
    });

    socket.on("room:leave", (value, ack) => {
      const reply = callback(ack);
      const room = parseRoom(value);
      if (room === undefined || !session.rooms.has(room)) return reply({ ok: false, error: "not in that room" });
      socket.leave(roomKey(room));
      exitRoom(session, room);
      reply({ ok: true });
    });

    socket.on("message", (value, ack) => {
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
      const history = rooms.get(room)?.history;
      if (history !== undefined) {
        history.push(message);
        if (history.length > LIMITS.history) history.shift();
      }
      io.to(roomKey(room)).emit("message", message);
      reply({ ok: true, id: message.id });
    });

    socket.on("typing", (value, typing) => {
      const room = parseRoom(value);
      if (room === undefined || !session.rooms.has(room)) return;
      // Volatile: a typing hint is worthless later, so it is neither buffered nor replayed.
      socket.to(roomKey(room)).volatile.emit("typing", { room, user: session.name, typing: typing === true });
    });

    socket.on("disconnect", (reason) => {
      if (session.socket !== socket) return;
      session.socket = undefined;
      broadcastOnline();
      if (DELIBERATE.has(reason)) endSession(session);
      else holdName(session);
    });
  });

  /** Keeps the session of a user whose connection dropped, for a while. @param {Session} session */
  function holdName(session) {
    session.releaseTimer = setTimeout(() => {
      // A reconnection with the token may be between its middleware and its connection.
      if (isInUse(session)) holdName(session);
      else endSession(session);
    }, holdMs);
  }

  /** The session a recovered socket comes back to, if it is still away. @param {ChatSocket} socket */
  function recover(socket) {
    const session = sessions.get(nameKey(socket.data.username ?? ""));
    if (!socket.recovered || session === undefined || session.releaseTimer === undefined || isInUse(session)) return undefined;
    return { session, isNew: false };
  }

  /**
   * Puts the user in the room; `announce()` then tells the room if they were not in it.
   * @param {Session} session @param {ChatSocket} socket @param {string} room
   */
  function enterRoom(session, socket, room) {
    let state = rooms.get(room);
    if (state === undefined) {
      state = { members: new Set(), history: [] };
      rooms.set(room, state);
    }
    const isNew = !state.members.has(session.name);
    state.members.add(session.name);
    session.rooms.add(room);
    socket.join(roomKey(room));
    return { state, announce: () => isNew && notify(room, session.name, "joined") };
  }

  /** @param {Session} session @param {string} room */
  function exitRoom(session, room) {
    session.rooms.delete(room);
    const state = rooms.get(room);
    if (state === undefined || !state.members.delete(session.name)) return;
    notify(room, session.name, "left");
    if (state.members.size === 0) rooms.delete(room);
  }

  /** @param {string} room @param {string} user @param {RoomNotice["kind"]} kind */
  function notify(room, user, kind) {
    io.to(roomKey(room)).emit("notice", { id: nextId(), room, user, kind, at: Date.now() });
  }

  /** The user is gone for good: out of every room, and the name is free. @param {Session} session */
  function endSession(session) {
    clearTimeout(session.releaseTimer);
    session.releaseTimer = undefined;
    for (const room of [...session.rooms]) exitRoom(session, room);
    if (sessions.get(nameKey(session.name)) === session) sessions.delete(nameKey(session.name));
  }

  /** @param {string} room */
  function hasRoomFor(room) {
    return rooms.has(room) || rooms.size < LIMITS.rooms;
  }

  return {
    close() {
      for (const session of sessions.values()) clearTimeout(session.releaseTimer);
      sessions.clear();
      rooms.clear();
    },
  };
}
