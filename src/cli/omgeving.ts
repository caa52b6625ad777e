// The environment of an operator command: the config from SIGNAALBRUG_CONFIG and the app built by the
// same composition root as the service, so a command behaves exactly as the service does (an erasure
// or withdrawal from here also revokes the portal links and withdraws queued jobs).
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createSignaalbrug, RedisOnbereikbaar, type Signaalbrug } from '../signaalbrug.js';
import { GebruikFout } from './gebruik.js';

export interface Omgeving {
  sb: Signaalbrug;
  sluit(): Promise<void>;
}

export async function omgeving(env: NodeJS.ProcessEnv = process.env): Promise<Omgeving> {
  const config = loadConfig(env.SIGNAALBRUG_CONFIG, env);
  try {
    // An operator command fails fast and says so, instead of waiting for Redis forever.
    const sb = await createSignaalbrug(config, { log: createLogger(process.stderr, 'error'), env, naam: 'cli', verbindBinnenMs: 5000 });
    return { sb, sluit: () => sb.sluit() };
  } catch (err) {
    if (err instanceof RedisOnbereikbaar) throw new GebruikFout(err.message);
    throw err;
  }
}
