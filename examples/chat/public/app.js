// The chat page. `io` is the global defined by /socket.io/socket.io.js (@volley/client).
/**
 * @typedef {import("../src/events").ChatMessage} ChatMessage
 * @typedef {import("../src/events").RoomNotice} RoomNotice
 * @typedef {import("../src/events").JoinResult} JoinResult
 * @typedef {import("@volley/client").Socket<import("../src/events").ServerToClientEvents, import("../src/events").ClientToServerEvents>} ChatSocket
 * @typedef {{ kind: "message", message: ChatMessage, pending?: boolean, error?: string }
 *   | { kind: "notice", id: string, text: string }} Entry
 * @typedef {{ name: string, entries: Entry[], ids: Set<string>, unread: number, typing: Map<string, number> }} Room
 */

/** @type {<T extends HTMLElement = HTMLElement>(id: string) => T} */
const $ = (id) => /** @type {any} */ (document.getElementById(id));
const TYPING_IDLE_MS = 2000; // stop "typing" after this long without a key press
const TYPING_REFRESH_MS = 3000; // while typing, say so again this often
const TYPING_EXPIRY_MS = 5000; // forget someone's "typing" after this long without news

// ?transports=polling (or websocket, or polling,websocket) pins the transports.
const transports = new URLSearchParams(location.search).get("transports")?.split(",") ?? ["polling", "websocket"];

const state = {
  /** @type {{ username: string, token: string } | undefined} */
  me: undefined,
  /** The name being asked for at login. */
  wantedName: "",
  /** @type {Map<string, Room>} */
  rooms: new Map(),
  /** @type {string | undefined} */
  current: undefined,
  pendingCount: 0,
};

/** @type {ChatSocket} */
const socket = /** @type {any} */ (window).io({
  autoConnect: false,
  transports,
  // Called on every (re)connection: the name, the token that keeps it, and the rooms to be put
  // back in if the server restarted meanwhile.
  auth: (/** @type {(data: object) => void} */ send) =>
    send(
      state.me === undefined
        ? { username: state.wantedName }
        : { username: state.me.username, token: state.me.token, rooms: [...state.rooms.keys()] },
    ),
});

// ---- connection ------------------------------------------------------------------------

/** @param {string} stateName @param {string} text */
function setStatus(stateName, text) {
  $("status").dataset["state"] = stateName;
  $("status").textContent = text;
}

const transportName = () => socket.io.engine?.transport?.name ?? "?";

socket.io.on("open", () => {
  socket.io.engine?.on("upgrade", () => {
    if (socket.connected) setStatus("connected", `connected over ${transportName()}`);
  });
});

socket.on("connect", () => {
  setStatus("connected", `connected over ${transportName()}`);
  if (socket.recovered) note("Reconnected: nothing was missed.");
});

socket.on("connect_error", (error) => {
  const refused = /** @type {{ data?: { code?: string } }} */ (error).data?.code;
  if (refused === undefined) {
    setStatus("connecting", "cannot reach the server, retrying…");
    return;
  }
  // Refused by the server: the connection is not retried.
  setStatus("idle", "not connected");
  state.me = undefined;
  $("login").hidden = false;
  $("chat").hidden = true;
  $("login-error").textContent = error.message;
  $("username").focus();
});

socket.on("disconnect", (reason) => {
  if (socket.active) {
    setStatus("connecting", "connection lost, reconnecting…");
    note("Connection lost: reconnecting… (messages you send meanwhile will be sent then)");
  } else {
    setStatus("idle", `disconnected (${reason})`);
  }
});

// A new session (first login, or the server lost the previous one): fetch each room's history.
socket.on("session", (session) => {
  const first = state.me === undefined;
  state.me = { username: session.username, token: session.token };
  $("me").textContent = session.username;
  for (const name of [...state.rooms.keys()]) if (!session.rooms.includes(name)) removeRoom(name);
  for (const name of session.rooms) {
    ensureRoom(name);
    joinRoom(name, { show: false });
  }
  if (first) {
    $("login").hidden = true;
    $("chat").hidden = false;
    showRoom(session.rooms[0]);
    $("message").focus();
  } else {
    note("Reconnected.");
  }
});

socket.on("online", (count) => {
  $("online").textContent = String(count);
  $("online-count").hidden = false;
});

socket.on("message", (message) => {
  const room = state.rooms.get(message.room);
  if (room === undefined) return;
  clearTyping(room, message.from);
  addMessage(room, message);
});

socket.on("notice", (notice) => {
  const room = state.rooms.get(notice.room);
  if (room === undefined || room.ids.has(notice.id)) return;
  if (notice.kind === "left") clearTyping(room, notice.user);
  const who = notice.user === state.me?.username ? "You" : notice.user;
  addEntry(room, { kind: "notice", id: notice.id, text: `${who} ${notice.kind} #${notice.room}` });
});

socket.on("typing", ({ room: name, user, typing }) => {
  const room = state.rooms.get(name);
  if (room === undefined) return;
  clearTyping(room, user);
  if (typing) room.typing.set(user, window.setTimeout(() => clearTyping(room, user), TYPING_EXPIRY_MS));
  if (name === state.current) renderTyping();
});

// A closed tab leaves the chat at once (its name is freed), instead of being held as if its
// connection had dropped.
window.addEventListener("pagehide", () => socket.disconnect());
window.addEventListener("pageshow", (event) => {
  if (event.persisted) location.reload();
});

// ---- rooms -----------------------------------------------------------------------------

/** @param {string} name */
function ensureRoom(name) {
  let room = state.rooms.get(name);
  if (room === undefined) {
    room = { name, entries: [], ids: new Set(), unread: 0, typing: new Map() };
    state.rooms.set(name, room);
  }
  return room;
}

/**
 * Joins a room (harmless when already in it) and merges its recent messages.
 * @param {string} name @param {{ show: boolean, onError?: (error: string) => void }} options
 */
function joinRoom(name, { show, onError }) {
  socket.emit("room:join", name, (result) => {
    if (!result.ok) {
      onError?.(result.error);
      return;
    }
    const room = ensureRoom(result.room);
    const missing = result.history.filter((message) => !room.ids.has(message.id));
    for (const message of missing) addMessage(room, message, { quiet: true });
    if (missing.length > 0) room.entries.sort(byTime);
    if (show || state.current === undefined) showRoom(result.room);
    else if (result.room === state.current) renderMessages();
    renderRooms();
  });
}

/** @param {string} name */
function removeRoom(name) {
  state.rooms.delete(name);
  if (state.current === name) state.current = undefined;
  showRoom(state.current ?? state.rooms.keys().next().value);
}

/** @param {string | undefined} name */
function showRoom(name) {
  stopTyping();
  state.current = name;
  const room = name === undefined ? undefined : state.rooms.get(name);
  if (room !== undefined) room.unread = 0;
  $("room-title").textContent = name === undefined ? "No room" : `#${name}`;
  $("leave-room").hidden = name === undefined;
  $("no-room").hidden = name !== undefined;
  $("message-form").hidden = name === undefined;
  $("message").setAttribute("placeholder", name === undefined ? "" : `Message #${name}`);
  renderRooms();
  renderMessages();
  renderTyping();
}

function renderRooms() {
  const list = $("room-list");
  list.replaceChildren(
    ...[...state.rooms.values()].map((room) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "room-button";
      button.dataset["room"] = room.name;
      button.textContent = `#${room.name}`;
      if (room.name === state.current) button.setAttribute("aria-current", "true");
      if (room.unread > 0) {
        const badge = document.createElement("span");
        badge.className = "unread";
        badge.textContent = String(room.unread);
        badge.setAttribute("aria-label", `${room.unread} unread`);
        button.append(" ", badge);
      }
      button.addEventListener("click", () => showRoom(room.name));
      const item = document.createElement("li");
      item.append(button);
      return item;
    }),
  );
}

$("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($("room-name"));
  $("join-error").textContent = "";
  joinRoom(input.value, {
    show: true,
    onError: (error) => {
      $("join-error").textContent = error;
    },
  });
  input.value = "";
});

$("leave-room").addEventListener("click", () => {
  const name = state.current;
  if (name === undefined) return;
  socket.emit("room:leave", name, () => {});
  removeRoom(name);
});

// ---- messages --------------------------------------------------------------------------

/** @param {Entry} a @param {Entry} b */
function byTime(a, b) {
  return (a.kind === "message" ? a.message.at : 0) - (b.kind === "message" ? b.message.at : 0);
}

/** @param {Room} room @param {ChatMessage} message @param {{ quiet?: boolean }} [options] */
function addMessage(room, message, { quiet = false } = {}) {
  if (room.ids.has(message.id)) return;
  // Our own message coming back: it replaces its pending copy.
  const pending = room.entries.findIndex(
    (entry) => entry.kind === "message" && entry.pending && message.from === state.me?.username && entry.message.clientId === message.clientId,
  );
  room.ids.add(message.id);
  if (pending !== -1) {
    room.entries[pending] = { kind: "message", message };
    if (room.name === state.current) renderMessages();
    return;
  }
  addEntry(room, { kind: "message", message }, { quiet });
}

/** @param {Room} room @param {Entry} entry @param {{ quiet?: boolean }} [options] */
function addEntry(room, entry, { quiet = false } = {}) {
  if (entry.kind === "notice") room.ids.add(entry.id);
  room.entries.push(entry);
  if (room.entries.length > 500) room.entries.splice(0, room.entries.length - 500);
  if (room.name === state.current) {
    if (!quiet) appendEntry(entry);
  } else if (entry.kind === "message" && !quiet) {
    room.unread++;
    renderRooms();
  }
}

/** A line from the page itself, in the current room. @param {string} text */
function note(text) {
  const room = state.current === undefined ? undefined : state.rooms.get(state.current);
  if (room !== undefined) addEntry(room, { kind: "notice", id: `local-${state.pendingCount++}`, text });
}

function renderMessages() {
  const room = state.current === undefined ? undefined : state.rooms.get(state.current);
  $("messages").replaceChildren(...(room?.entries ?? []).map(renderEntry));
  $("messages").lastElementChild?.scrollIntoView({ block: "end" });
}

/** @param {Entry} entry */
function appendEntry(entry) {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const item = renderEntry(entry);
  list.append(item);
  if (atBottom) item.scrollIntoView({ block: "end" });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** @param {Entry} entry */
function renderEntry(entry) {
  const item = document.createElement("li");
  if (entry.kind === "notice") {
    item.className = "notice";
    item.textContent = entry.text;
    return item;
  }
  const { message } = entry;
  item.className = "message";
  if (message.from === state.me?.username) item.classList.add("mine");
  if (entry.pending) item.classList.add("pending");
  if (entry.error !== undefined) item.classList.add("failed");
  item.dataset["id"] = message.id;

  const avatar = document.createElement("span");
  avatar.className = "avatar";
  avatar.setAttribute("aria-hidden", "true");
  avatar.textContent = [...message.from][0]?.toUpperCase() ?? "?";
  avatar.style.setProperty("--hue", String(hue(message.from)));

  const from = document.createElement("span");
  from.className = "from";
  from.textContent = message.from;
  const time = document.createElement("time");
  time.dateTime = new Date(message.at).toISOString();
  time.textContent = entry.pending ? "sending…" : timeFormat.format(message.at);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.append(from, " ", time);

  const text = document.createElement("p");
  text.className = "text";
  text.textContent = message.text;
  item.append(avatar, meta, text);
  if (entry.error !== undefined) {
    const error = document.createElement("p");
    error.className = "error";
    error.textContent = `Not sent: ${entry.error}`;
    item.append(error);
  }
  return item;
}

/** A stable colour per name. @param {string} name */
function hue(name) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}

$("message-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($("message"));
  const text = input.value.trim();
  const room = state.current === undefined ? undefined : state.rooms.get(state.current);
  if (text === "" || room === undefined || state.me === undefined) return;
  input.value = "";
  stopTyping();
  const clientId = `${Date.now().toString(36)}-${state.pendingCount++}`;
  /** @type {Entry & { kind: "message" }} */
  const entry = {
    kind: "message",
    pending: true,
    message: { id: `pending-${clientId}`, room: room.name, from: state.me.username, text, at: Date.now(), clientId },
  };
  addEntry(room, entry);
  // Sent at once, or kept in the client's buffer while offline and sent on reconnection.
  socket.emit("message", { room: room.name, text, clientId }, (result) => {
    if (result.ok) return;
    entry.pending = false;
    entry.error = result.error;
    if (room.name === state.current) renderMessages();
  });
});

// ---- typing ----------------------------------------------------------------------------

let typingSentAt = 0;
let typingRoom = /** @type {string | undefined} */ (undefined);
let typingTimer = 0;

$("message").addEventListener("input", () => {
  if (state.current === undefined || !socket.connected) return;
  const now = Date.now();
  if (typingRoom !== state.current || now - typingSentAt > TYPING_REFRESH_MS) {
    typingRoom = state.current;
    typingSentAt = now;
    // Volatile: not worth buffering while offline.
    socket.volatile.emit("typing", state.current, true);
  }
  clearTimeout(typingTimer);
  typingTimer = window.setTimeout(stopTyping, TYPING_IDLE_MS);
});

function stopTyping() {
  clearTimeout(typingTimer);
  if (typingRoom !== undefined) socket.volatile.emit("typing", typingRoom, false);
  typingRoom = undefined;
  typingSentAt = 0;
}

/** @param {Room} room @param {string} user */
function clearTyping(room, user) {
  const timer = room.typing.get(user);
  if (timer === undefined) return;
  clearTimeout(timer);
  room.typing.delete(user);
  if (room.name === state.current) renderTyping();
}

function renderTyping() {
  const room = state.current === undefined ? undefined : state.rooms.get(state.current);
  const users = [...(room?.typing.keys() ?? [])];
  $("typing").textContent =
    users.length === 0
      ? ""
      : users.length === 1
        ? `${users[0]} is typing…`
        : users.length <= 3
          ? `${users.slice(0, -1).join(", ")} and ${users.at(-1)} are typing…`
          : "Several people are typing…";
}

// ---- login -----------------------------------------------------------------------------

$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  state.wantedName = /** @type {HTMLInputElement} */ ($("username")).value.trim();
  setStatus("connecting", "connecting…");
  socket.connect();
});

$("username").focus();

// For the end-to-end tests.
/** @type {any} */ (window).chat = { socket, state };
