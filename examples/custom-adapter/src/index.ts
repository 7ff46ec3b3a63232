export { BroadcastChannelAdapter } from "./broadcast-channel-adapter";
export type { BroadcastChannelAdapterOptions } from "./broadcast-channel-adapter";
export { createAdapter } from "./create-adapter";
