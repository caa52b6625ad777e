// Routing by postcode: each wijkteam serves PC4 ranges (config); ranges never overlap (checked at start).
import type { Wijkteam } from '../config.js';
import { pc4 } from './melding.js';

export function routeer(postcode: string, wijkteams: readonly Wijkteam[]): Wijkteam | undefined {
  const n = pc4(postcode);
  return wijkteams.find((w) => w.postcodes.some((r) => r.van <= n && n <= r.tot));
}
