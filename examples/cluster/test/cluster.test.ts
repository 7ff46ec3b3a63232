// The example with REDIS_URL set: the workers share their state through @volley/redis-adapter.
import { registerExampleTests } from "./helpers/example";

registerExampleTests(true);
