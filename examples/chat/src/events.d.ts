// The events of the chat, shared by the server (src/) and the page (public/app.js).

/** A chat message, as the server broadcasts it to a room. */
export interface ChatMessage {
  /** Unique for the life of the server, and across restarts (it starts with a boot id). */
  id: string;
  room: string;
  from: string;
  text: string;
  /** Milliseconds since the epoch, by the server's clock. */
  at: number;
  /** The id the sender gave the message, so that its page can match its pending copy. */
  clientId?: string;
}

/** "alice joined #general" / "alice left #general". */
export interface RoomNotice {
  id: string;
  room: string;
  user: string;
  kind: "joined" | "left";
  at: number;
}

export type JoinResult =
  | { ok: true; room: string; members: string[]; history: ChatMessage[] }
  | { ok: false; error: string };

export type Result = { ok: true } | { ok: false; error: string };

export type SendResult = { ok: true; id: string } | { ok: false; error: string };

/** What the client sends in `auth` with every (re)connection. */
export type ChatAuth = {
  username: string;
  /** The token of a previous connection with this name: lets a reconnection keep the name. */
  token?: string;
  /** The rooms the page was in, joined again when the server lost them (it restarted). */
  rooms?: string[];
};

export interface ServerToClientEvents {
  /** Sent on each new (not recovered) connection. */
  session: (session: { username: string; token: string; rooms: string[] }) => void;
  /** How many users are connected. */
  online: (count: number) => void;
  message: (message: ChatMessage) => void;
  notice: (notice: RoomNotice) => void;
  typing: (typing: { room: string; user: string; typing: boolean }) => void;
}

export interface ClientToServerEvents {
  "room:join": (room: string, ack: (result: JoinResult) => void) => void;
  "room:leave": (room: string, ack: (result: Result) => void) => void;
  message: (message: { room: string; text: string; clientId?: string }, ack: (result: SendResult) => void) => void;
  typing: (room: string, typing: boolean) => void;
}

/** `socket.data`: kept across a recovered reconnection. */
export interface ChatSocketData {
  username: string;
}

/** A peer's answer to "may this claim take the name?". */
export type ClaimReply =
  | { kind: "free" }
  | { kind: "taken" }
  /** The name was held for a user who was away: here is their session, now the asker's. */
  | { kind: "handover"; token: string; rooms: string[] };

/** A change to the rooms, made by one process and applied by every other. */
export type RoomChange =
  | { kind: "member"; room: string; user: string; node: string; present: boolean }
  | { kind: "message"; message: ChatMessage };

/** A room as one process knows it: name, members (user, process holding them), recent messages. */
export type RoomSnapshot = [room: string, members: Array<[user: string, node: string]>, history: ChatMessage[]];

/**
 * What the server processes of one chat tell each other through the adapter
 * (`serverSideEmit`): nothing leaves a single process, whose adapter has no peers.
 */
export interface ServerSideEvents {
  /**
   * May claim `claimId` (sortable: the older claim wins a tie) take the name `key`? With
   * `token` (or `recovered`, for a recovered connection) a user held here for a while is
   * handed over.
   */
  "chat:claim": (key: string, claimId: string, token: string | null, recovered: boolean, answer: (reply: ClaimReply) => void) => void;
  "chat:rooms": (change: RoomChange) => void;
  /** How many sockets process `node` (its adapter uid) has. */
  "chat:online": (node: string, count: number) => void;
  /** Every room this process knows, for a process that just started. */
  "chat:snapshot": (answer: (rooms: RoomSnapshot[]) => void) => void;
}
