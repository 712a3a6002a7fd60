/**
 * The average of the last 1024 samples without storing them, like HAProxy's `swrate`: once the
 * window is full, each new sample replaces one average-sized share of the running sum. Until then
 * the sum is a plain sum and the average is exact over the samples seen (`swrate_add_dynamic`).
 */

/** HAProxy's TIME_STATS_SAMPLES: queue, connect, response and total times average this many. */
export const TIME_SAMPLES = 1024;

export class SlidingAverage {
  private sum = 0;
  private samples = 0;

  add(value: number): void {
    this.samples += 1;
    const shareLeaving = this.samples > TIME_SAMPLES ? Math.floor((this.sum + TIME_SAMPLES - 1) / TIME_SAMPLES) : 0;
    this.sum = this.sum - shareLeaving + value;
  }

  /** The average, rounded up as HAProxy's `swrate_avg` does; 0 before the first sample. */
  average(): number {
    const window = this.samples === 0 ? TIME_SAMPLES : Math.min(this.samples, TIME_SAMPLES);
    return Math.floor((this.sum + window - 1) / window);
  }
}
