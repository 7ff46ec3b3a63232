// Type tests, checked by `pnpm typecheck` (tsc): event maps and options are typed, and the
// mistakes below do not compile. Nothing here runs.
import type { Transport } from "../../src/index";
import { Socket, type CloseDetails, type CloseReason, type HandshakeData } from "../../src/index";
import { Socket as BrowserSocket } from "../../src/index.browser";

declare const socket: Socket;

socket.on("close", (reason: CloseReason, details?: CloseDetails | Error) => void [reason, details]);
socket.on("handshake", (data: HandshakeData) => void data.pingInterval.toFixed());
socket.on("upgrade", (transport: Transport) => void transport.name.toUpperCase());
socket.on("message", (data) => void (typeof data === "string" ? data.length : data));
socket.send("text", { compress: false }, () => undefined);
socket.write(new Uint8Array(1));
const id: string | null = socket.id;
const state: "opening" | "open" | "closing" | "closed" = socket.readyState;
void [id, state];

// @ts-expect-error: not an event of the socket
socket.on("connect", () => undefined);
// @ts-expect-error: close reasons are a closed union
socket.on("close", (reason: "io server disconnect") => void reason);
// @ts-expect-error: numbers are not messages
socket.send(42);

new Socket({ transports: ["websocket"], query: { token: "x", n: 1 } });
new BrowserSocket("https://example.com", { closeOnBeforeunload: true, rememberUpgradeStore: new Map() });
// @ts-expect-error: query values are strings, numbers or booleans
new Socket({ query: { nested: { a: 1 } } });
// @ts-expect-error: unknown option
new Socket({ reconnection: true });
