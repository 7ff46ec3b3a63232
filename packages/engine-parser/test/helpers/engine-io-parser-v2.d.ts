// Just enough of the published engine.io-parser@2 (Engine.IO v3, untyped) for the tests.
declare module "engine.io-parser-v2" {
  interface V2Packet {
    type: string;
    data?: unknown;
  }
  export const protocol: number;
  export function encodePacket(
    packet: V2Packet,
    supportsBinary: boolean,
    callback: (encoded: string | Buffer) => void,
  ): void;
  export function decodePacket(data: string | Buffer | ArrayBuffer, binaryType?: string): V2Packet;
  export function encodePayload(
    packets: V2Packet[],
    supportsBinary: boolean,
    callback: (encoded: string | Buffer) => void,
  ): void;
  export function decodePayload(
    data: string | Buffer,
    binaryType: string | undefined,
    callback: (packet: V2Packet, index: number, total: number) => boolean | void,
  ): void;
}
