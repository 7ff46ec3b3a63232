// The example without REDIS_URL: the workers share their state through @volley/cluster-adapter.
import { registerExampleTests } from "./helpers/example";

registerExampleTests(false);
