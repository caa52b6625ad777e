// Faults: property-based fuzzing of the melding and terugkoppeling bodies (fast-check): only 4xx
// (or an honest 201/200/409), never a 5xx, and the server still serves afterwards.
import fc from 'fast-check';
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { mtlsAgent, post } from './last.js';
import { geschaald } from './schaal.js';

const RUNS = geschaald(300, 10);

/** Valid meldingen with random parts replaced, removed or added: close to the edge of the schema. */
const verminkt = fc.tuple(
  fc.constantFrom('referentie', 'soort', 'huurder', 'adres', 'huishouden', 'achterstand', 'stappen', 'toestemming', 'ontruimingsdatum',
    'vorigeMelding', 'bsn', 'toelichting', '__proto__', 'constructor', ''),
  fc.oneof(fc.jsonValue(), fc.string({ maxLength: 300 }), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue(), { maxKeys: 6 })),
  fc.boolean(),
).map(([veld, waarde, weg]) => {
  const m: Record<string, unknown> = voorbeeldMelding();
  if (weg) delete m[veld];
  else m[veld] = waarde;
  return JSON.stringify(m);
});

const lichamen = fc.oneof(
  verminkt,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 500 }), // not JSON at all
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);

t.test('fuzzing POST /v1/meldingen and /terugkoppeling', async (t) => {
  const app = await build(t);
  const corporatie = mtlsAgent(app.pki, 'elan-wonen', 4);
  const gemeente = mtlsAgent(app.pki, 'wijkteam-haarlem', 4);
  t.teardown(() => { corporatie.destroy(); gemeente.destroy(); });
  const melding = await post(corporatie, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding()));
  const statussen = new Map<number, number>();
  const tel = (s: number) => statussen.set(s, (statussen.get(s) ?? 0) + 1);

  await fc.assert(fc.asyncProperty(lichamen, async (lichaam) => {
    const r = await post(corporatie, app.apiPort, '/v1/meldingen', lichaam);
    tel(r.status);
    return r.status >= 200 && r.status < 500 && (r.status < 400 || r.body?.status === r.status);
  }), { numRuns: RUNS });

  const terugkoppelingen = fc.oneof(
    fc.record({ contactGelegd: fc.jsonValue(), inBehandeling: fc.jsonValue(), incassoHervatten: fc.jsonValue() }, { requiredKeys: [] }),
    fc.dictionary(fc.string({ maxLength: 30 }), fc.jsonValue(), { maxKeys: 10 }),
    fc.jsonValue(),
  ).map((v) => JSON.stringify(v));
  await fc.assert(fc.asyncProperty(terugkoppelingen, async (lichaam) => {
    const r = await post(gemeente, app.apiPort, `/v1/meldingen/${melding.body.id}/terugkoppeling`, lichaam);
    tel(r.status);
    return r.status >= 200 && r.status < 500;
  }), { numRuns: RUNS });

  t.notOk([...statussen.keys()].some((s) => s >= 500 || s === 0), 'no 5xx, no dropped connection');
  t.equal((await post(corporatie, app.apiPort, '/v1/meldingen', JSON.stringify(voorbeeldMelding()))).status, 201, 'still serving');
  t.notMatch(app.logs(), /"level":50/, 'nothing logged as an internal error');
  t.comment(`counts: ${RUNS} meldingen and ${RUNS} terugkoppelingen fuzzed; statuses seen: ${JSON.stringify(Object.fromEntries(statussen))}`);
});
