import { EventEmitter } from 'eventemitter3';

/** The listener signatures of an emitter whose events map names to one plain payload each. */
export type Listeners<Events> = { [K in keyof Events & string]: (payload: Events[K]) => void };

/**
 * The base class of mlcycle's stateful components: an `eventemitter3` emitter whose events are typed by a map
 * from event name to payload. Every event carries exactly one plain, JSON-serialisable object.
 *
 * @example
 * ```ts
 * import { TypedEmitter } from 'mlcycle';
 *
 * class Counter extends TypedEmitter<{ tick: { count: number } }> {
 *   private count = 0;
 *   increment(): void {
 *     this.count += 1;
 *     this.emit('tick', { count: this.count });
 *   }
 * }
 * new Counter().on('tick', (e) => e.count);
 * ```
 */
export class TypedEmitter<Events extends object> extends EventEmitter<Listeners<Events>> {}
