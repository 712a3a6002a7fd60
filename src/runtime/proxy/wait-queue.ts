/**
 * A FIFO of requests waiting for a connection slot, as HAProxy keeps one per server and one per
 * backend (src/queue.c). Waiters leave from the front when a slot frees, or from anywhere when
 * they give up (timeout queue, client gone): a doubly linked list makes both O(1). Each waiter has
 * a global arrival number so the core can serve the older of a server's and its backend's heads.
 */

let arrivals = 0;

export class Waiter<T> {
  readonly arrival = ++arrivals;
  readonly since = performance.now();
  /** @internal */ prev: Waiter<T> | null = null;
  /** @internal */ next: Waiter<T> | null = null;
  /** @internal */ queue: WaitQueue<T> | null = null;

  constructor(readonly value: T) {}

  /** Leaves its queue, if still in one. */
  leave(): void {
    this.queue?.remove(this);
  }
}

export class WaitQueue<T> {
  #head: Waiter<T> | null = null;
  #tail: Waiter<T> | null = null;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  peek(): Waiter<T> | null {
    return this.#head;
  }

  push(value: T): Waiter<T> {
    const waiter = new Waiter(value);
    waiter.queue = this;
    waiter.prev = this.#tail;
    if (this.#tail) this.#tail.next = waiter;
    else this.#head = waiter;
    this.#tail = waiter;
    this.#length += 1;
    return waiter;
  }

  /** Moves a waiter from another queue to the back of this one, keeping its arrival number. */
  adopt(waiter: Waiter<T>): void {
    waiter.leave();
    waiter.queue = this;
    waiter.prev = this.#tail;
    waiter.next = null;
    if (this.#tail) this.#tail.next = waiter;
    else this.#head = waiter;
    this.#tail = waiter;
    this.#length += 1;
  }

  shift(): Waiter<T> | null {
    const waiter = this.#head;
    if (waiter) this.remove(waiter);
    return waiter;
  }

  remove(waiter: Waiter<T>): void {
    if (waiter.queue !== this) return;
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = waiter.next = null;
    waiter.queue = null;
    this.#length -= 1;
  }

  *[Symbol.iterator](): IterableIterator<Waiter<T>> {
    for (let waiter = this.#head; waiter; waiter = waiter.next) yield waiter;
  }
}
