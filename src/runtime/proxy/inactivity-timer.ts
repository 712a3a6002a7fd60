/**
 * An inactivity limit (`timeout client`, `timeout server`) that costs one clock read per event:
 * activity only records the time, and the one timer, when it fires, checks whether the side was
 * really silent that long, else sleeps for the rest. Node's socket.setTimeout re-arms a timer on
 * every read and write instead, which a proxy pays twice per request.
 */
export class InactivityTimer {
  #limitMs = 0;
  #lastActivity = 0;
  #timer: NodeJS.Timeout | null = null;
  #armedFor = 0;

  constructor(private readonly onExpire: () => void) {}

  /** Starts counting from now with this limit; 0 turns it off. */
  set(limitMs: number): void {
    this.#limitMs = limitMs;
    this.#lastActivity = performance.now();
    if (limitMs <= 0) {
      this.stop();
      return;
    }
    // A timer armed for longer than the new limit would fire too late.
    if (this.#timer && this.#armedFor > limitMs) this.stop();
    if (!this.#timer) this.#arm(limitMs);
  }

  touch(): void {
    this.#lastActivity = performance.now();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(delayMs: number): void {
    this.#armedFor = delayMs;
    this.#timer = setTimeout(() => this.#check(), delayMs);
  }

  #check(): void {
    this.#timer = null;
    if (this.#limitMs <= 0) return;
    const silentMs = performance.now() - this.#lastActivity;
    if (silentMs >= this.#limitMs) this.onExpire();
    else this.#arm(this.#limitMs - silentMs);
  }
}
