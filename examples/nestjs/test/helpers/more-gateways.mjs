// Gateways that take the other paths of @nestjs/platform-socket.io: a port of their own
// (`new Server(port, options)`, which creates and listens on an http server), namespaces
// matched by a RegExp (`server.of(regexp)`) and an acknowledgement sent by the handler
// (`@Ack()`). Plain JavaScript, so the decorators are applied as functions.
import { Ack, ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from "@nestjs/websockets";

function handler(target, method, ...params) {
  SubscribeMessage(method)(target.prototype, method, Object.getOwnPropertyDescriptor(target.prototype, method));
  params.forEach((decorator, index) => decorator()(target.prototype, method, index));
}

/** @param {number} port a free port for the gateway that has its own */
export function moreGateways(port) {
  class OwnPortGateway {
    server;
    whereami(client) {
      return { port: this.server.httpServer.address().port, namespace: client.nsp.name };
    }
  }
  WebSocketServer()(OwnPortGateway.prototype, "server");
  handler(OwnPortGateway, "whereami", ConnectedSocket);
  WebSocketGateway(port, { cors: true })(OwnPortGateway);

  class RoomsGateway {
    echo(client, text, ack) {
      // answered by the handler itself, later: Nest does not answer for it
      setImmediate(() => ack({ namespace: client.nsp.name, text }));
    }
  }
  handler(RoomsGateway, "echo", ConnectedSocket, MessageBody, Ack);
  WebSocketGateway({ namespace: /^\/team-\d+$/ })(RoomsGateway);

  return [OwnPortGateway, RoomsGateway];
}
