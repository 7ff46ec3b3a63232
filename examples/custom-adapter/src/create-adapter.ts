import type { AdapterConstructor, AdapterNamespace } from "@volley/adapter";
import { BroadcastChannelAdapter, type BroadcastChannelAdapterOptions } from "./broadcast-channel-adapter";

/**
 * The adapter class to give the server (`new Server({ adapter: createAdapter() })`): the
 * server builds one instance per namespace with `new Adapter(nsp)`, so the options are
 * bound here.
 */
export function createAdapter(
  options: BroadcastChannelAdapterOptions = {},
): AdapterConstructor<BroadcastChannelAdapter> {
  return class extends BroadcastChannelAdapter {
    constructor(nsp: AdapterNamespace) {
      super(nsp, options);
    }
  };
}
