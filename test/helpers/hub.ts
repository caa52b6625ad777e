// The test config as a regional hub (README "Running a regional hub"): Haarlem (0392) with the test
// config's wijkteams and profile, and Hilversum (0402) with its own profile, wijkteam, troubleshooter,
// second escalation and sender identity; Ymere signed both convenants, Elan Wonen and Pré Wonen only Haarlem's.
import path from 'node:path';

export const HAARLEM = { code: '0392', oin: '00000099000000000010', naam: 'Gemeente Haarlem' } as const;
export const HILVERSUM = { code: '0402', oin: '00000099000000000020', naam: 'Gemeente Hilversum' } as const;
export const HILVERSUM_SELECTIEGRONDEN = [
  'betalingsregeling-verbroken', 'nieuwe-achterstand-binnen-12-maanden-na-regeling', 'automatische-incasso-gestopt-na-derde-storno', 'voorgenomen-overdracht-incasso',
] as const;

/** Turn testConfigDoc's single-convenant document into the hub shape (in place). */
export function alsRegionaleHub(doc: Record<string, any>, pki: string): void {
  const p = (f: string) => path.join(pki, f);
  const smime = (naam: string, mailbox: string, bestand: string) => ({ naam, mailbox, bezorging: 'smime', certificaat: p(`recipients/${bestand}.crt`) });
  doc.gemeenten = [
    {
      ...HAARLEM,
      convenant: {
        ...doc.convenant, naam: 'Convenant Preventie huisuitzettingen Haarlem', werkdagenTerugkoppeling: 5,
        extraTermijnen: [{ naam: 'betalingsvoorstel', artikel: 'art. 6.2', kalenderdagen: 14 }], opnemenWerkdagen: 2,
      },
      wijkteams: doc.wijkteams.map(({ organisatie: _o, ...w }: Record<string, unknown>) => w),
      troubleshooter: doc.troubleshooter,
      tweedeEscalatie: smime('Coördinator Haarlem', 'coordinator@haarlem.example', 'coordinator'),
    },
    {
      ...HILVERSUM,
      convenant: {
        naam: 'Convenant Vroeg Eropaf Hilversum', werkdagenTerugkoppeling: 28, opnemenWerkdagen: 2,
        extraTermijnen: [
          { naam: 'huisbezoek', artikel: 'protocol fase C', kalenderdagen: 14 },
          { naam: 'incasso-aangehouden', artikel: 'protocol fase A', kalenderdagen: 28 },
          { naam: 'einde-traject', artikel: 'protocol fase E', kalenderdagen: 28 },
        ],
        artikelen: { huurachterstand: 'protocol fase A', 'betalingsregeling-niet-nagekomen': 'protocol fase A' },
        selectie: { minimaleAchterstandMaanden: 2, gronden: [...HILVERSUM_SELECTIEGRONDEN], artikel: 'protocol fase A' },
        bewaartermijn: { bewaartermijnDagen: 180 },
      },
      wijkteams: [{ id: 'hilversum', postcodes: ['1211-1223'], ...smime('Sociaal Wijkteam Hilversum', 'wijkteam@hilversum.example', 'wijkteam-hilversum') }],
      troubleshooter: smime('Troubleshooter Hilversum', 'troubleshooter@hilversum.example', 'troubleshooter-hilversum'),
      tweedeEscalatie: smime('Coördinator Hilversum', 'coordinator@hilversum.example', 'coordinator-hilversum'),
      afzender: { naam: 'Signaalbrug Hilversum', mailbox: 'signaalbrug@hilversum.example', certificaat: p('signer-hilversum.crt'), sleutel: p('signer-hilversum.key'), pgpSleutel: p('signer-hilversum.sec.asc') },
    },
  ];
  doc.partners = [
    { oin: '00000099000000000001', naam: 'Elan Wonen', signaalpartner: 'Huur', gemeenten: ['0392'] },
    { oin: '00000099000000000002', naam: 'Pré Wonen', gemeenten: ['0392'] },
    { oin: '00000099000000000003', naam: 'Ymere', gemeenten: ['0392', '0402'] },
  ];
  for (const k of ['convenant', 'organisaties', 'wijkteams', 'troubleshooter', 'tweedeEscalatie']) delete doc[k];
}
