// Internal hooks between a session and its transports. Symbol keys keep them off the
// public surface of Socket (ws's `k*` constants do the same).
export const kOnPacket = Symbol("volley:engine:onPacket");
export const kOnReady = Symbol("volley:engine:onReady");
export const kOnError = Symbol("volley:engine:onError");
export const kOnClose = Symbol("volley:engine:onClose");
/** Closes a session right away with a given reason (server shutdown). */
export const kTerminate = Symbol("volley:engine:terminate");
/** Hands a probing WebSocket transport to a polling session. */
export const kMaybeUpgrade = Symbol("volley:engine:maybeUpgrade");
/** Sends the open packet and starts the heartbeat. */
export const kOpen = Symbol("volley:engine:open");
/** The transport a ws WebSocket feeds. */
export const kTransport = Symbol("volley:engine:transport");
/** Upgrade progress reported to the session. */
export const kOnProbe = Symbol("volley:engine:onProbe");
export const kOnUpgrade = Symbol("volley:engine:onUpgrade");
export const kOnUpgradeFailed = Symbol("volley:engine:onUpgradeFailed");
/** Session timers and the per-tick flush. */
export const kFlush = Symbol("volley:engine:flush");
export const kPing = Symbol("volley:engine:ping");
export const kHeartbeatTimeout = Symbol("volley:engine:heartbeatTimeout");
/** The session id a handshake request will get (for its cookie). */
export const kSessionId = Symbol("volley:engine:sessionId");
/** The response middlewares wrote to for an upgrade request. */
export const kUpgradeResponse = Symbol("volley:engine:upgradeResponse");
/** The TCP connection under a WebSocket transport. */
export const kConnection = Symbol("volley:engine:connection");
/** The Origin of a session's requests: the first one they carried (see the origin check). */
export const kOrigin = Symbol("volley:engine:origin");
