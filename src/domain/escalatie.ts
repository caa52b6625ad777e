// What the troubleshooter records came of an escalated case or an eviction date (convenant art. 8.2:
// one last attempt to prevent the eviction). A closed list, so figures can count it; the choice says
// something about a person and is stored encrypted.
export const TROUBLESHOOTER_UITKOMSTEN = [
  'ontruiming-voorkomen',
  'betalingsregeling-getroffen',
  'doorverwezen-schuldhulpverlening',
  'doorverwezen-zorg',
  'geen-contact',
  'hulp-geweigerd',
  'ontruiming-doorgegaan',
  'geen-actie-nodig',
] as const;
export type TroubleshooterUitkomst = (typeof TROUBLESHOOTER_UITKOMSTEN)[number];

export const UITKOMST_LABELS: Record<TroubleshooterUitkomst, string> = {
  'ontruiming-voorkomen': 'Ontruiming voorkomen',
  'betalingsregeling-getroffen': 'Betalingsregeling getroffen',
  'doorverwezen-schuldhulpverlening': 'Doorverwezen naar schuldhulpverlening',
  'doorverwezen-zorg': 'Doorverwezen naar zorg of ondersteuning',
  'geen-contact': 'Geen contact gekregen',
  'hulp-geweigerd': 'Huurder wil geen hulp',
  'ontruiming-doorgegaan': 'Ontruiming is doorgegaan',
  'geen-actie-nodig': 'Geen actie nodig (opgelost)',
};

export const isTroubleshooterUitkomst = (x: unknown): x is TroubleshooterUitkomst =>
  typeof x === 'string' && (TROUBLESHOOTER_UITKOMSTEN as readonly string[]).includes(x);
