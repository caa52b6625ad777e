// The troubleshooter acts (convenant art. 8.2): on an escalation or an eviction date it confirms it
// took the case up, and later records what came of it. Each happens once per case, also when two
// people click at the same moment (a once-only milestone on the case, set in the same atomic step);
// take-up stops the second escalation to the configured second mailbox.
import { isTroubleshooterUitkomst, type TroubleshooterUitkomst } from '../domain/escalatie.js';
import type { Spoor } from '../domain/verwerking.js';
import { SignaalbrugError } from '../errors.js';
import type { Sleutelring } from '../store/sleutelring.js';
import type { Casussen } from './casussen.js';
import { CONTEXT, type Lezen } from './lezen.js';

export interface EscalatieDeps {
  casussen: Casussen;
  lezen: Lezen;
  sleutels: Sleutelring;
  klok: () => Date;
}

type Door = { oin: string; spoor?: Spoor; gebruiker?: string; kanaal: 'portaal' | 'werkplek' | 'cli' };

export function createEscalaties({ casussen, lezen, sleutels, klok }: EscalatieDeps) {
  async function bestaand(meldingId: string) {
    const meta = await casussen.meta(meldingId);
    if (!meta) throw new SignaalbrugError('SB_NIET_GEVONDEN', 'melding niet gevonden');
    return meta;
  }

  return {
    /** Where the troubleshooter stands on this case: when it took it up and what it recorded. */
    async stand(meldingId: string): Promise<{ opgepaktOp: string | null; uitkomst: TroubleshooterUitkomst | null; uitkomstOp: string | null }> {
      const meta = await bestaand(meldingId);
      const u = await lezen.troubleshooterUitkomst(meldingId);
      return { opgepaktOp: meta.opgepaktOp ?? null, uitkomst: (u?.uitkomst as TroubleshooterUitkomst | undefined) ?? null, uitkomstOp: meta.uitkomstOp ?? null };
    },

    /** The troubleshooter confirms it took the case up; a second confirmation is a 409 problem. */
    async pakOp(meldingId: string, door: Door): Promise<{ opgepaktOp: string }> {
      await bestaand(meldingId);
      const r = await casussen.pasToe(meldingId, { soort: 'escalatie-opgepakt', door: { oin: door.oin, spoor: door.spoor, gebruiker: door.gebruiker }, kanaal: door.kanaal });
      return { opgepaktOp: r!.overgang.gebeurtenis.op };
    },

    /** What came of it, from the closed list; once, after take-up. */
    async legUitkomstVast(meldingId: string, uitkomst: TroubleshooterUitkomst, door: Door): Promise<{ uitkomstOp: string }> {
      if (!isTroubleshooterUitkomst(uitkomst)) throw new SignaalbrugError('SB_ONGELDIGE_INVOER', `onbekende uitkomst: ${String(uitkomst)}`);
      await bestaand(meldingId);
      const versleuteld = sleutels.versleutel(JSON.stringify({ uitkomst, ontvangenOp: klok().toISOString() }), CONTEXT.troubleshooterUitkomst(meldingId));
      const r = await casussen.pasToe(meldingId, { soort: 'escalatie-uitkomst', door: { oin: door.oin, spoor: door.spoor, gebruiker: door.gebruiker }, kanaal: door.kanaal, versleuteld });
      return { uitkomstOp: r!.overgang.gebeurtenis.op };
    },
  };
}

export type Escalaties = ReturnType<typeof createEscalaties>;
