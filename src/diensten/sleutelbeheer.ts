// Key rotation of the data at rest: how many ciphertexts each key id still has, and the re-encryption
// of everything with the active key while the service runs.
import { Sleutelring } from '../store/sleutelring.js';
import type { Sleutelrotatie } from '../store/sleutelrotatie.js';

/** A new keyring (JSON): one active data key and the pseudonym key. */
export const nieuweSleutelring = (): string => Sleutelring.nieuw();

/** The keyring file's text with a new active key added (the old ones stay, to read what they wrote). */
export const metNieuweSleutel = (tekst: string, bestand: string): { tekst: string; kid: string } => Sleutelring.metNieuweSleutel(tekst, bestand);

export function createSleutelbeheer({ rotatie, sleutels }: { rotatie: Sleutelrotatie; sleutels: Sleutelring }) {
  return {
    get actief(): string {
      return sleutels.actieveSleutel;
    },
    status: (batch?: number) => rotatie.status(batch),
    roteer: (o: { batch?: number; pauzeMs?: number; maxRondes?: number }) => rotatie.roteer(o),
  };
}

export type Sleutelbeheer = ReturnType<typeof createSleutelbeheer>;
