// The origin policy: which web origins may use the server, read from the `cors` option. One
// object decides both what the CORS headers say (written by the `cors` package) and whether
// the server serves a request at all (checked by the server for polling requests and
// WebSocket upgrades, which browsers never submit to CORS). Both read one decision per
// request, so that a RegExp or a function is evaluated once and the two can never disagree.
import type { IncomingMessage, ServerResponse } from "node:http";
import corsMiddleware, { type CorsOptions, type CorsOptionsDelegate } from "cors";

/** An origin setting without a function: what a `cors` `origin` function answers. */
export type StaticOrigin = boolean | string | RegExp | Array<boolean | string | RegExp>;

/** What the policy decided for one request. */
export interface OriginDecision {
  /** The request's `Origin` header, if it has one. */
  readonly origin: string | undefined;
  /**
   * Whether `cors.origin` restricts origins for this request: a string other than `"*"`, a
   * list, a RegExp or a function. `false` when CORS is off, or allows every origin
   * (`"*"`, `true`, unset).
   */
  readonly restricted: boolean;
  /**
   * Whether the request may be served: always for a request without `Origin` and when
   * unrestricted; otherwise whether the CORS headers let a page of that origin read the
   * response.
   */
  readonly allowed: boolean;
}

/** What a `cors`-package middleware looks like to us. */
type CorsHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** `cors` options as the server resolves its `cors` option: `false` is CORS off. */
export type OriginPolicyOptions = CorsOptions | CorsOptionsDelegate | boolean | undefined;

// The cors package's own default (every origin).
const ANY = "*";
// What the cors package does with an origin setting it writes as is (`false`: no header at
// all; `"*"` and a string: that value), and with one it matches against the request's
// Origin (`true` reflects it; `[]` matches nothing and writes only `Vary: Origin`).
const REFLECT = true;
const MATCH_NOTHING: readonly never[] = Object.freeze([]);

/**
 * The origin policy of a server's `cors` option, with the meaning the `cors` package gives it:
 * `origin` as a string (the one origin allowed; `"*"` every one), a RegExp, a list of both,
 * `true` (every origin, reflected), or a function `(origin, callback)` answering one of
 * those; `cors` itself may be a delegate `(req, callback)` answering options per request.
 * `false` (or unset) is no CORS at all.
 *
 * {@link OriginPolicy.handle} writes the CORS headers of a request and hands its
 * {@link OriginDecision} on; the engine's server refuses what is not allowed (see
 * `checkOrigin`), and `@volley/server` writes the headers of its client files with the
 * same object (`engine.originPolicy`).
 * @example
 * const policy = new OriginPolicy({ origin: ["https://app.example", /\.app\.example$/] });
 * policy.handle(req, res, (err, decision) => { if (decision?.allowed) serve(req, res); });
 */
export class OriginPolicy {
  /** Whether CORS is on (the `cors` option is not `false` or unset). */
  readonly enabled: boolean;
  readonly #delegate: CorsOptionsDelegate | undefined;
  /** The options when they are the same for every request (not a delegate). */
  readonly #options: CorsOptions | undefined;
  /** The cors middlewares of static options, by the origin setting they are made with. */
  readonly #handlers = new Map<unknown, CorsHandler>();

  constructor(cors: OriginPolicyOptions) {
    this.enabled = cors !== false && cors !== undefined;
    if (typeof cors === "function") this.#delegate = cors;
    else if (cors === true) this.#options = {};
    else if (typeof cors === "object" && cors !== null) this.#options = cors;
  }

  /**
   * Writes the CORS headers of `req` on `res` and calls `done(undefined, decision)`. A
   * preflight (`OPTIONS`) that the `cors` options answer is ended here, and `done` is not
   * called. `done(err)` when the delegate or the origin function failed. The headers are
   * those the `cors` package writes with these options: they never let a page of an origin
   * that is not allowed read the response (the server refuses such a request anyway, unless
   * `checkOrigin` is off).
   */
  handle(req: IncomingMessage, res: ServerResponse, done: (err: unknown, decision?: OriginDecision) => void): void {
    const origin = req.headers.origin;
    if (!this.enabled) {
      done(undefined, { origin, restricted: false, allowed: true });
      return;
    }
    if (this.#delegate === undefined) {
      this.#withOptions(this.#options!, true, req, res, done);
      return;
    }
    this.#delegate(req, (err, options) => {
      if (err !== null && err !== undefined) done(err);
      else this.#withOptions(options ?? {}, false, req, res, done);
    });
  }

  #withOptions(
    options: CorsOptions,
    isStatic: boolean,
    req: IncomingMessage,
    res: ServerResponse,
    done: (err: unknown, decision?: OriginDecision) => void,
  ): void {
    const origin = req.headers.origin;
    const setting = Object.prototype.hasOwnProperty.call(options, "origin") ? options.origin : ANY;
    resolveOrigin(setting, origin, (err, value, restricted) => {
      if (err !== undefined) {
        done(err);
        return;
      }
      const { decision, written } = decideFor(value, restricted!, origin);
      // The handlers of static settings are kept (a few at most: see decideFor); the
      // answers of a function or a delegate, which may be any string, are not.
      const handler =
        isStatic && typeof setting !== "function"
          ? this.#staticHandler(options, written)
          : (corsMiddleware({ ...options, origin: written }) as CorsHandler);
      handler(req, res, (corsError?: unknown) => {
        if (corsError !== null && corsError !== undefined) done(corsError);
        else done(undefined, decision);
      });
    });
  }

  #staticHandler(options: CorsOptions, written: StaticOrigin): CorsHandler {
    let handler = this.#handlers.get(written);
    if (handler === undefined) {
      handler = corsMiddleware({ ...options, origin: written }) as CorsHandler;
      this.#handlers.set(written, handler);
    }
    return handler;
  }
}

/**
 * The origin setting for a request from `origin` (a function is asked), and whether it
 * restricts origins (a function always does).
 */
function resolveOrigin(
  setting: CorsOptions["origin"],
  origin: string | undefined,
  done: (err: unknown, value?: StaticOrigin | undefined, restricted?: boolean) => void,
): void {
  if (typeof setting !== "function") {
    done(undefined, setting, isRestricting(setting));
    return;
  }
  let answered = false;
  try {
    setting(origin, (err, value) => {
      if (answered) return;
      answered = true;
      if (err !== null && err !== undefined) done(err);
      else done(undefined, value, true);
    });
  } catch (error) {
    if (!answered) {
      answered = true;
      done(error);
    }
  }
}

/** Whether a static setting restricts origins: anything but "*", `true` or nothing. */
function isRestricting(setting: StaticOrigin | undefined): boolean {
  return !(isEmpty(setting) || setting === ANY || setting === true);
}

/** A setting with which the cors package writes no CORS header at all. */
function isEmpty(setting: StaticOrigin | undefined): boolean {
  return setting === undefined || setting === false || setting === "" || (setting as unknown) === null || (setting as unknown) === 0;
}

/**
 * The decision for one request, and the setting to hand the cors package so that it writes
 * exactly the headers it would have written with `setting`, the match made once.
 */
function decideFor(
  setting: StaticOrigin | undefined,
  restricted: boolean,
  origin: string | undefined,
): { decision: OriginDecision; written: StaticOrigin } {
  if (isEmpty(setting)) {
    // no CORS header: a static empty setting is CORS off, a function's empty answer a refusal
    return { decision: { origin, restricted, allowed: origin === undefined || !restricted }, written: false };
  }
  if (setting === ANY) return { decision: { origin, restricted: false, allowed: true }, written: ANY };
  if (isString(setting)) {
    // a fixed origin: written as is; a page of another origin may not read the response
    const value = String(setting);
    return { decision: { origin, restricted, allowed: origin === undefined || origin === value }, written: value };
  }
  const matches = origin !== undefined && isOriginAllowed(origin, setting!);
  return {
    decision: { origin, restricted, allowed: origin === undefined || matches || !restricted },
    written: matches ? REFLECT : (MATCH_NOTHING as unknown as StaticOrigin),
  };
}

function isString(value: unknown): value is string | String {
  return typeof value === "string" || value instanceof String;
}

/** The cors package's rule: a string equals, a RegExp matches, a list has one that does. */
function isOriginAllowed(origin: string, allowed: StaticOrigin): boolean {
  if (Array.isArray(allowed)) return allowed.some((item) => isOriginAllowed(origin, item));
  if (isString(allowed)) return origin === String(allowed);
  if (allowed instanceof RegExp) {
    // a global or sticky RegExp keeps its lastIndex between calls: start from 0 each time
    allowed.lastIndex = 0;
    return allowed.test(origin);
  }
  return Boolean(allowed);
}
