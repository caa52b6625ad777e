// The size of the fault tests: every count is its default times SB_FOUTTEST_SCHAAL (a factor, default
// 1), e.g. 0.25 for a quick run on a busy laptop, 4 for a soak. Waits follow progress, not a rate
// (wachtOpVoortgang), so a larger count takes longer but never turns red by itself.
const waarde = process.env.SB_FOUTTEST_SCHAAL;

export const SCHAAL: number = (() => {
  if (waarde === undefined || waarde === '') return 1;
  const f = Number(waarde);
  if (!Number.isFinite(f) || f <= 0) throw new Error(`SB_FOUTTEST_SCHAAL moet een getal groter dan 0 zijn, niet ${waarde}`);
  return f;
})();

/** `standaard` scaled by SB_FOUTTEST_SCHAAL, at least `minimaal`. */
export function geschaald(standaard: number, minimaal = 1): number {
  return Math.max(minimaal, Math.round(standaard * SCHAAL));
}
