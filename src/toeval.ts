// Random bytes for ids and IVs, taken from a pool the CSPRNG fills 4 KiB at a time (as Node does for
// randomUUID): one randomBytes call per small value cost more than the work it was for. Every byte
// is handed out once.
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(4096);
let plek = POOL.length;

function neem(n: number): number {
  if (n > POOL.length) throw new RangeError(`hooguit ${POOL.length} willekeurige bytes per keer`);
  if (plek + n > POOL.length) {
    randomFillSync(POOL);
    plek = 0;
  }
  const begin = plek;
  plek += n;
  return begin;
}

/** `n` fresh random bytes in a buffer of their own. */
export function willekeurig(n: number): Buffer {
  const begin = neem(n);
  return Buffer.from(POOL.subarray(begin, begin + n));
}

/** `n` fresh random bytes as lowercase hex. */
export function willekeurigHex(n: number): string {
  const begin = neem(n);
  return POOL.toString('hex', begin, begin + n);
}
