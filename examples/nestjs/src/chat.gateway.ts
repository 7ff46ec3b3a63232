// The chat: an ordinary NestJS gateway. It imports `socket.io`, as any Nest app does; the
// package manager's alias makes that name @volley/server (see the README).
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  WsException,
} from "@nestjs/websockets";
import { Server, Socket } from "socket.io";
import type { ChatMessage, JoinResult, MessageInput, Result, RoomNotice } from "./events.js";

const ROOM_NAME = /^[a-z0-9_-]{1,20}$/;
const MAX_TEXT_LENGTH = 500;

interface Member {
  name: string;
}

@WebSocketGateway({ cors: true })
export class ChatGateway implements OnGatewayConnection {
  @WebSocketServer()
  server!: Server;

  /** Names the client (`auth: { name }` of its handshake, or its id). */
  handleConnection(client: Socket): void {
    const auth = client.handshake.auth as { name?: unknown };
    const name = typeof auth.name === "string" && auth.name.trim() !== "" ? auth.name.trim().slice(0, 20) : client.id;
    (client.data as Member).name = name;
    // Nest's handleDisconnect runs on `disconnect`, when the socket has left its rooms
    // already: `disconnecting` still knows them
    client.on("disconnecting", () => {
      for (const room of client.rooms) {
        if (room !== client.id) this.#notice(room, client, "left");
      }
    });
  }

  /** Joins a room; the acknowledgement lists its members. */
  @SubscribeMessage("join")
  async join(@ConnectedSocket() client: Socket, @MessageBody() room: unknown): Promise<JoinResult> {
    if (typeof room !== "string" || !ROOM_NAME.test(room)) return { ok: false, error: "invalid room name" };
    if (!client.rooms.has(room)) {
      await client.join(room);
      this.#notice(room, client, "joined");
    }
    const members = await this.server.in(room).fetchSockets();
    return { ok: true, room, members: members.map((member) => (member.data as Member).name).sort() };
  }

  @SubscribeMessage("leave")
  async leave(@ConnectedSocket() client: Socket, @MessageBody() room: unknown): Promise<Result> {
    if (typeof room !== "string" || !client.rooms.has(room) || room === client.id) return { ok: false, error: "not in that room" };
    await client.leave(room);
    this.#notice(room, client, "left");
    return { ok: true };
  }

  /** Sends a message to the members of a room the sender is in, the sender included. */
  @SubscribeMessage("message")
  message(@ConnectedSocket() client: Socket, @MessageBody() input: MessageInput): Result {
    // a malformed message is a client bug: Nest's exception filter answers with `exception`
    if (typeof input !== "object" || input === null || typeof input.text !== "string" || typeof input.room !== "string") {
      throw new WsException("a message is { room, text }");
    }
    if (!client.rooms.has(input.room)) return { ok: false, error: "not in that room" };
    const text = input.text.trim();
    if (text === "" || text.length > MAX_TEXT_LENGTH) return { ok: false, error: `1 to ${MAX_TEXT_LENGTH} characters` };
    const message: ChatMessage = { room: input.room, from: (client.data as Member).name, text, at: Date.now() };
    this.server.to(input.room).emit("message", message);
    return { ok: true };
  }

  #notice(room: string, client: Socket, kind: RoomNotice["kind"]): void {
    const notice: RoomNotice = { room, user: (client.data as Member).name, kind };
    this.server.to(room).except(client.id).emit("notice", notice);
  }
}
