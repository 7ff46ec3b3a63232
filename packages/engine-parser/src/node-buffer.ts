// Node.js's Buffer, reached through globalThis so that the package imports no Node
// built-in and runs unchanged in browsers, where it is undefined.

/** The part of a Buffer this package uses. */
export type NodeBufferInstance = Uint8Array & { toString(encoding: "base64"): string };

/** The part of the Buffer constructor this package uses. */
export interface NodeBufferStatic {
  from(data: string, encoding: "base64"): NodeBufferInstance;
  from(data: ArrayBufferLike, byteOffset?: number, length?: number): NodeBufferInstance;
  allocUnsafe(size: number): NodeBufferInstance;
  isBuffer(value: unknown): boolean;
}

export const NodeBuffer: NodeBufferStatic | undefined = (globalThis as { Buffer?: NodeBufferStatic }).Buffer;
