// CommonJS entry of the browser build: `require("@volley/client")` is io() itself, carrying
// every named export as a property, so both `require("@volley/client")(url)` (socket.io-client's
// CommonJS shape) and `const { io, Manager } = require("@volley/client")` work.
import * as api from "./index.browser";

const lookup: typeof api.io & typeof api = Object.assign(
  ((uri?: string | api.IoOptions, opts?: api.IoOptions) => api.io(uri as string, opts)) as typeof api.io,
  api,
);

export default lookup;
