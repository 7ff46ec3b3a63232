// Types that turn a user's event maps into checked `emit`/`on` signatures. An event map is
// an interface whose keys are event names and whose values are listener signatures:
//
//   interface ServerToClientEvents { news: (headline: string) => void }
//
// A wrong event name or a wrong argument is then a compile error at the call site.

/**
 * Any event map. An interface such as `{ news: (headline: string) => void }` fits: the
 * values are listener signatures.
 */
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

/** The parameters of a callback. */
export type CallbackParams<F> = F extends (...args: infer A) => unknown ? A : never;

/**
 * With `timeout(ms)`, the acknowledgement callback gets an error first (null when the
 * client answered in time): `(ack: (n: number) => void)` becomes `(err: Error | null, n: number) => void`.
 */
export type DecorateAcknowledgement<F> = F extends (...args: infer A) => unknown
  ? (err: Error | null, ...args: A) => void
  : F;

/**
 * A broadcast with an acknowledgement collects one answer per client: the callback gets
 * an error (null when every client answered in time) and the array of first arguments.
 */
export type DecorateBroadcastAcknowledgement<F> = F extends (...args: infer A) => unknown
  ? (err: Error | null, responses: A extends [infer R, ...unknown[]] ? R[] : unknown[]) => void
  : F;

/** The parameters of `emit` for an event whose last parameter is an ack, decorated by `Decorate`. */
type WithDecoratedLast<Params extends readonly unknown[], Decorated> = Params extends readonly [
  ...infer Head,
  infer Ack,
]
  ? Ack extends (...args: never[]) => unknown
    ? [...Head, Decorated]
    : Params
  : Params;

/** A map whose acknowledgement callbacks take an error first (socket `timeout(ms).emit`). */
export type DecorateAcknowledgements<Map extends EventsMap> = {
  [Ev in keyof Map]: Map[Ev] extends (...args: infer A) => unknown
    ? (...args: WithDecoratedLast<A, DecorateAcknowledgement<Last<A>>>) => void
    : Map[Ev];
};

/** A map whose acknowledgement callbacks collect every client's answer (broadcast with ack). */
export type DecorateBroadcastAcknowledgements<Map extends EventsMap> = {
  [Ev in keyof Map]: Map[Ev] extends (...args: infer A) => unknown
    ? (...args: WithDecoratedLast<A, DecorateBroadcastAcknowledgement<Last<A>>>) => void
    : Map[Ev];
};

/** The events of a map whose last parameter is an acknowledgement callback. */
export type EventNamesWithAck<Map extends EventsMap> = {
  [Ev in EventNames<Map>]: Last<EventParams<Map, Ev>> extends (...args: never[]) => unknown ? Ev : never;
}[EventNames<Map>];

/** `emitWithAck` arguments: the event's parameters without the callback. */
export type EmitWithAckParams<Map extends EventsMap, Ev extends EventNames<Map>> = AllButLast<EventParams<Map, Ev>>;

/**
 * What `socket.emitWithAck` resolves with: the first argument of the client's ack
 * (`unknown` for an untyped map, where the ack is not declared).
 */
export type AckResult<Map extends EventsMap, Ev extends EventNames<Map>> = [Last<EventParams<Map, Ev>>] extends [never]
  ? unknown
  : FirstArg<Last<EventParams<Map, Ev>>>;

/** The reserved events of a namespace and of a socket are typed apart from user events. */
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
