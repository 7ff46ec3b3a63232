// The example's settings, from the environment, each checked.
import { availableParallelism } from "node:os";
import { LOAD_BALANCING_METHODS } from "@volley/sticky";

/**
 * @typedef {object} ClusterConfig
 * @property {number} port       PORT (default 3000; 0 lets the OS choose)
 * @property {string | undefined} host  HOST (default: every interface)
 * @property {number} workers    WORKERS (default os.availableParallelism()); 0: no cluster, this
 *   process serves alone (one of several servers behind nginx or HAProxy)
 * @property {string | undefined} redisUrl  REDIS_URL: the Redis server the processes share their
 *   state through; unset: the workers share it through the cluster adapter (no Redis), and a
 *   standalone server (WORKERS=0) keeps it to itself
 * @property {import("@volley/sticky").LoadBalancingMethod} balancing  BALANCING: how a new
 *   session picks its worker (default least-connection)
 * @property {string | undefined} cookie  COOKIE: the name of the session cookie set on the
 *   handshake (for a load balancer that sticks by cookie, such as HAProxy); unset: none
 */

/** @param {NodeJS.ProcessEnv} env @returns {ClusterConfig} */
export function readConfig(env) {
  const balancing = env["BALANCING"] ?? "least-connection";
  if (!LOAD_BALANCING_METHODS.includes(/** @type {never} */ (balancing))) {
    throw new Error(`BALANCING must be one of ${LOAD_BALANCING_METHODS.join(", ")}, got ${JSON.stringify(balancing)}`);
  }
  const cookie = env["COOKIE"];
  if (cookie !== undefined && !/^[\w-]{1,64}$/.test(cookie)) throw new Error(`COOKIE must be a cookie name, got ${JSON.stringify(cookie)}`);
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env["HOST"] === undefined || env["HOST"] === "" ? undefined : env["HOST"],
    workers: integer(env, "WORKERS", availableParallelism(), 0, 1024),
    redisUrl: env["REDIS_URL"] === undefined || env["REDIS_URL"] === "" ? undefined : env["REDIS_URL"],
    balancing: /** @type {import("@volley/sticky").LoadBalancingMethod} */ (balancing),
    cookie: cookie === "" ? undefined : cookie,
  };
}

/** @param {NodeJS.ProcessEnv} env @param {string} name @param {number} fallback @param {number} min @param {number} max */
function integer(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}
