/**
 * Days equated with algemeen erkende feestdagen by Koninklijk Besluit
 * (Algemene termijnenwet art. 3 lid 3), published in the Staatscourant for three years at a time.
 * Date (YYYY-MM-DD, Europe/Amsterdam) → reason.
 *
 * Extend this table when a new KB is published; deployments can add days without a release via
 * the config (`kalender.extraVrijeDagen`).
 */
export const GELIJKGESTELDE_DAGEN: Readonly<Record<string, string>> = Object.freeze({
  // KB for 2023–2025: the Friday after Hemelvaartsdag (29 May 2025). Confident: that Friday is
  // equated every year. 2 May 2025 is said to be equated too but could not be verified here, so it
  // is left out; add it via config if needed.
  '2025-05-30': 'vrijdag na Hemelvaartsdag',
  // KB for 2026–2028 (dates as published in the Staatscourant; see docs/domein.md).
  '2026-01-02': 'vrijdag na Nieuwjaarsdag',
  '2026-05-15': 'vrijdag na Hemelvaartsdag',
  '2027-05-07': 'vrijdag na Hemelvaartsdag',
  '2028-04-28': 'vrijdag na Koningsdag',
  '2028-05-26': 'vrijdag na Hemelvaartsdag',
});
