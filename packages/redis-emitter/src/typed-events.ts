// The typed event maps of the emitter: `new Emitter<ServerToClientEvents>(client)` checks
// each `emit` against the map the server uses, so a wrong event name or argument fails to
// compile. Re-declared here on purpose (as in @volley/client): the emitter depends on no
// server package.

/** An event map: an interface of event names to listener signatures, `{ news: (headline: string) => void }`. */
export type EventsMap = object;

/**
 * The map of an emitter given no generic: any event name, any arguments. The `any` is what
 * "untyped" means and appears nowhere else.
 */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

/** The names of the events of `Map`. */
export type EventNames<Map extends EventsMap> = keyof Map & string;

/** The arguments that event `Ev` of `Map` takes. */
export type EventParams<Map extends EventsMap, Ev extends EventNames<Map>> = Map[Ev] extends (...args: infer A) => unknown
  ? A
  : never;
