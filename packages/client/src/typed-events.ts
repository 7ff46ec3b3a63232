// Types that turn a user's event maps into checked `emit`/`on` signatures, mirroring the
// server's (`@volley/server`): an event map is an interface whose keys are event names and
// whose values are listener signatures,
//
//   interface ServerToClientEvents { news: (headline: string) => void }
//
// so that a wrong event name or argument is a compile error at the call site. The two
// packages share no runtime code: these are re-declared here on purpose.

/** Any event map. An interface such as `{ news: (headline: string) => void }` fits. */
export type EventsMap = object;

/**
 * The map used when no generic is given: every event name, any arguments. The `any` is on
 * purpose and only here: it is what "untyped" means (a listener may declare the parameter
 * types it expects, as with a plain EventEmitter).
 */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** The event names of a map. */
export type EventNames<Map extends EventsMap> = keyof Map & string;

/** The listener of one event of a map. */
export type EventListener<Map extends EventsMap, Ev extends EventNames<Map>> = Map[Ev] extends (
  ...args: infer Args
) => unknown
  ? (...args: Args) => void
  : never;

/** The arguments of one event of a map (the acknowledgement callback, if any, last). */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Map[Ev] extends (
  ...args: infer Args
) => unknown
  ? Args
  : never;

/** The last element of a tuple, or never for an empty one. */
export type Last<T extends readonly unknown[]> = T extends readonly [...unknown[], infer L] ? L : never;

/** A tuple without its last element. */
export type AllButLast<T extends readonly unknown[]> = T extends readonly [...infer Head, unknown] ? Head : T;

/** The first parameter of a callback (what `emitWithAck` resolves with). */
export type FirstArg<F> = F extends (arg: infer A, ...rest: never[]) => unknown ? A : never;

/**
 * With `timeout(ms)` (or the `ackTimeout` option), the acknowledgement callback gets an
 * error first: `(ack: (n: number) => void)` becomes `(err: Error, n: number) => void`.
 * The error is `null` when the server answered in time (socket.io-client types it `Error`).
 */
export type DecorateAcknowledgement<F> = F extends (...args: infer A) => unknown ? (err: Error, ...args: A) => void : F;

/** The parameters of `emit` for an event whose last parameter is an ack, with that ack decorated. */
type WithDecoratedLast<Params extends readonly unknown[]> = Params extends readonly [...infer Head, infer Ack]
  ? Ack extends (...args: never[]) => unknown
    ? [...Head, DecorateAcknowledgement<Ack>]
    : Params
  : Params;

/** A map whose acknowledgement callbacks take an error first (`socket.timeout(ms).emit`). */
export type DecorateAcknowledgements<Map extends EventsMap> = {
  [Ev in keyof Map]: Map[Ev] extends (...args: infer A) => unknown ? (...args: WithDecoratedLast<A>) => void : Map[Ev];
};

/** The arguments of `emit` for an event, with its ack decorated when `timed` is true. */
export type EmitParams<Map extends EventsMap, Ev extends EventNames<Map>, Timed extends boolean> = Timed extends true
  ? WithDecoratedLast<EventParams<Map, Ev>>
  : EventParams<Map, Ev>;

/** `emitWithAck` arguments: the event's parameters without the callback. */
export type EmitWithAckParams<Map extends EventsMap, Ev extends EventNames<Map>> = AllButLast<EventParams<Map, Ev>>;

/**
 * What `emitWithAck` resolves with: the first argument of the server's ack (`unknown` for
 * an event whose ack is not declared).
 */
export type AckResult<Map extends EventsMap, Ev extends EventNames<Map>> = [Last<EventParams<Map, Ev>>] extends [never]
  ? unknown
  : Last<EventParams<Map, Ev>> extends (...args: never[]) => unknown
    ? FirstArg<Last<EventParams<Map, Ev>>>
    : unknown;

/** The reserved events of a socket are typed apart from user events. */
export type ReservedOrUserEventNames<Reserved extends EventsMap, User extends EventsMap> =
  | EventNames<Reserved>
  | EventNames<User>;

/** The listener of a reserved or user event (reserved names win). */
export type ReservedOrUserListener<
  Reserved extends EventsMap,
  User extends EventsMap,
  Ev extends ReservedOrUserEventNames<Reserved, User>,
> = Ev extends EventNames<Reserved>
  ? EventListener<Reserved, Ev>
  : Ev extends EventNames<User>
    ? EventListener<User, Ev>
    : never;
