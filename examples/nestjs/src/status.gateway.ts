// A second gateway on the same server, in its own namespace: Nest creates it with
// `server.of("/status")`.
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, WebSocketServer } from "@nestjs/websockets";
import { Namespace, Socket } from "socket.io";

@WebSocketGateway({ namespace: "status", cors: true })
export class StatusGateway {
  @WebSocketServer()
  namespace!: Namespace;

  /** How many clients the chat (the main namespace) and this namespace have. */
  @SubscribeMessage("count")
  count(@ConnectedSocket() client: Socket): { namespace: string; chat: number; status: number } {
    return { namespace: client.nsp.name, chat: this.namespace.server.sockets.sockets.size, status: this.namespace.sockets.size };
  }
}
