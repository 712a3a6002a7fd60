/**
 * The little of HAProxy's ebtree (eb32) the algorithms rely on: items sorted by an unsigned key,
 * and an item inserted with a key already present goes *after* the existing ones. That tie rule is
 * what makes equal servers take turns, so every algorithm here keeps its servers in one of these.
 * A sorted array is plenty for a backend's few hundred servers at most.
 */
export class OrderedTree<T> {
  private readonly entries: { key: number; item: T }[] = [];

  get size(): number {
    return this.entries.length;
  }

  insert(key: number, item: T): void {
    // First position whose key is strictly greater: equal keys stay in insertion order.
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle]?.key ?? 0) <= key) low = middle + 1;
      else high = middle;
    }
    this.entries.splice(low, 0, { key, item });
  }

  /** Removes the item if it is in the tree; returns whether it was. */
  remove(item: T): boolean {
    const index = this.entries.findIndex((entry) => entry.item === item);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    return true;
  }

  first(): T | undefined {
    return this.entries[0]?.item;
  }

  keyOf(item: T): number | undefined {
    return this.entries.find((entry) => entry.item === item)?.key;
  }

  /** Items in key order (ties in insertion order). */
  items(): T[] {
    return this.entries.map((entry) => entry.item);
  }

  /** Index of the first entry whose key is >= key, or size when there is none (eb32_lookup_ge). */
  lowerBound(key: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle]?.key ?? 0) < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  entryAt(index: number): { readonly key: number; readonly item: T } | undefined {
    return this.entries[index];
  }
}
