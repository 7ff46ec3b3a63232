// Keys of the methods by which the classes of this package talk to each other. They are
// not part of the public API: users never see them in autocompletion, and no other
// package can reach them by name.
export const kOnPacket = Symbol("volley.server.onPacket");
export const kOnClose = Symbol("volley.server.onClose");
export const kConnect = Symbol("volley.server.connect");
export const kConnected = Symbol("volley.server.connected");
export const kAbort = Symbol("volley.server.abort");
export const kRemoveSocket = Symbol("volley.server.removeSocket");
export const kWriteChunks = Symbol("volley.server.writeChunks");
export const kSocketConnected = Symbol("volley.server.socketConnected");
export const kSocketRemoved = Symbol("volley.server.socketRemoved");
export const kCloseConnection = Symbol("volley.server.closeConnection");
export const kResolveNamespace = Symbol("volley.server.resolveNamespace");
export const kEmitWithFlags = Symbol("volley.server.emitWithFlags");
export const kEmitWithAckWithFlags = Symbol("volley.server.emitWithAckWithFlags");
export const kChildRemoved = Symbol("volley.server.childRemoved");
export const kMiddlewares = Symbol("volley.server.middlewares");
export const kForwardConnection = Symbol("volley.server.forwardConnection");
export const kMatch = Symbol("volley.server.match");
export const kAddChild = Symbol("volley.server.addChild");
export const kInitAdapter = Symbol("volley.server.initAdapter");
export const kOnEngineData = Symbol("volley.server.onEngineData");
export const kOnEngineClose = Symbol("volley.server.onEngineClose");
export const kBroadcastOperator = Symbol("volley.server.broadcastOperator");
export const kMatchesName = Symbol("volley.server.matchesName");
export const kOnError = Symbol("volley.server.onError");
export const kPendingAcks = Symbol("volley.server.pendingAcks");
