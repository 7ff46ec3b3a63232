import { PollingTransport } from "./polling";
import { WebSocketTransport } from "./websocket";

/**
 * The transport classes by name, as `engine.io`'s `transports`: for `instanceof` checks
 * (`socket.transport instanceof transports.websocket`) and their static `upgradesTo`.
 * Sessions create their transports; these constructors are not for users.
 */
export const transports: Readonly<{ polling: typeof PollingTransport; websocket: typeof WebSocketTransport }> = Object.freeze({
  polling: PollingTransport,
  websocket: WebSocketTransport,
});
