// What "./node-buffer" resolves to in the browser build (dist/index.browser.*, the package's
// "browser" export condition): no Buffer, so every Buffer path of the codecs is left out of
// the build and the portable ones run, as they do in any runtime without Buffer.
import type { NodeBufferStatic } from "./node-buffer";

export type { NodeBufferInstance, NodeBufferStatic } from "./node-buffer";

export const NodeBuffer: NodeBufferStatic | undefined = undefined;
