/**
 * HAProxy's hash functions, bit for bit, so `source` and `uri` send a client where HAProxy would.
 * Every step is kept to 32 unsigned bits (`>>> 0`), as the C code's `unsigned int` is.
 */

/**
 * `hash_sdbm`, HAProxy's default for hash-based balancing (`gen_hash`). The C code reads the key
 * through a plain `char`, which is signed on x86, so bytes from 0x80 up count as negative numbers.
 */
export function sdbmHash(key: Uint8Array): number {
  let hash = 0;
  for (const byte of key) {
    const signedByte = byte >= 0x80 ? byte - 0x100 : byte;
    hash = (signedByte + (hash << 6) + (hash << 16) - hash) >>> 0;
  }
  return hash;
}

/**
 * `full_hash`: Bob Jenkins' 32-bit avalanche, then a multiply by a prime near 3/4 of the range.
 * HAProxy uses it to place servers on the consistent-hash ring that `random` draws from.
 */
export function fullHash(value: number): number {
  let a = value >>> 0;
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 3221225473) >>> 0;
}
