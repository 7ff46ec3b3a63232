export { protocol, PacketType } from "./packet";
export type { Packet } from "./packet";
