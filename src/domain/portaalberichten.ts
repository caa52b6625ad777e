// View models of the two mails that travel unencrypted (NTA 7516): the notification of a secure
// link and the one-time code. Neither holds anything about the tenant. Both name the message they
// belong to with a short kenmerk derived from the melding id (never the corporation's referentie,
// which may identify the tenant in the corporation's own files), and say when they come with a
// reminder. Pure: no I/O.

/** Why a notification was sent: with the melding, a reminder, an update, on request after a locked link, or a withdrawal (no link). */
export type Aanleiding = 'melding' | 'herinnering' | 'nieuwe-link' | 'aanvulling' | 'intrekking';

/** The withdrawal reasons as the wijkteam reads them (no personal data beyond the kenmerk's melding). */
export const INTREKKING_LABELS: Record<string, string> = {
  'achterstand-betaald': 'de achterstand is betaald',
  'betalingsregeling-getroffen': 'er is een betalingsregeling getroffen',
  'huurder-verhuisd': 'de huurder is verhuisd',
  vergissing: 'de melding was een vergissing',
  overig: 'een andere reden',
};

/**
 * A short reference to the message, the same in the notification, the code mail and the portal
 * pages: "SB-" and eight characters of the melding id (a random UUID), which says nothing about
 * the tenant or the corporation's files and is enough to tell two messages apart.
 */
export function kenmerk(meldingId: string): string {
  const tekens = meldingId.replace(/[^0-9a-z]/gi, '').toUpperCase().slice(0, 8).padEnd(8, '0');
  return `SB-${tekens.slice(0, 4)}-${tekens.slice(4)}`;
}

/** No personal data at all: this mail travels unencrypted. */
export function notificatieModel(
  c: { id: string; corporatie: string; terugkoppelingUiterlijk: string },
  link: string | null,
  o: { aanleiding?: Aanleiding; rol?: 'wijkteam' | 'troubleshooter'; terugkoppelingVerwacht?: boolean; reden?: string } = {},
) {
  const aanleiding = o.aanleiding ?? 'melding';
  return {
    corporatie: c.corporatie, terugkoppelingUiterlijk: c.terugkoppelingUiterlijk, link,
    aanvulling: aanleiding === 'aanvulling',
    ingetrokken: aanleiding === 'intrekking' ? { reden: INTREKKING_LABELS[o.reden ?? 'overig'] ?? INTREKKING_LABELS.overig } : null,
    kenmerk: kenmerk(c.id),
    herinnering: aanleiding === 'herinnering',
    nieuweLink: aanleiding === 'nieuwe-link',
    troubleshooter: o.rol === 'troubleshooter',
    // A wijkteam that already answered is not told again that feedback is expected.
    geenTermijn: o.rol === 'troubleshooter' || o.terugkoppelingVerwacht === false || aanleiding === 'intrekking',
  };
}

export function toegangscodeModel(code: string, geldigMinuten: number, o: { meldingId: string; herinnering?: boolean }) {
  return { code, geldigMinuten, kenmerk: kenmerk(o.meldingId), herinnering: o.herinnering ?? false };
}
