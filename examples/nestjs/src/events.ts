// The messages of the chat gateway, shared by the gateway and its clients (the test).

/** What a client sends with `message`. */
export interface MessageInput {
  room: string;
  text: string;
}

/** What the room's members receive as `message`. */
export interface ChatMessage {
  room: string;
  from: string;
  text: string;
  at: number;
}

/** What `join` and `leave` tell the members of the room. */
export interface RoomNotice {
  room: string;
  user: string;
  kind: "joined" | "left";
}

/** The acknowledgement of `join`: the room's members once joined. */
export type JoinResult = { ok: true; room: string; members: string[] } | { ok: false; error: string };

/** The acknowledgement of `leave` and `message`. */
export type Result = { ok: true } | { ok: false; error: string };
