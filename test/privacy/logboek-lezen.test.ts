// Every read of a melding through the API is a logboek record, as a reading in the portal is:
// `melding-gelezen` with the reading organisation's OIN, kanaal api and the caller's trace. A HEAD,
// a melding of another organisation and an id that is no melding read nothing and record nothing.
import t from 'tap';
import { build, voorbeeldMelding } from '../helpers/build.js';
import { logboekVan } from '../helpers/privacy.js';

const ELAN_OIN = '00000099000000000001';
const GEMEENTE_OIN = '00000099000000000010';
const TRACE = '0af7651916cd43dd8448eb211c80319c';

t.test('GET /v1/meldingen/{id} writes melding-gelezen for the reader; HEAD and a refused read write nothing', async (t) => {
  const app = await build(t);
  const post = await app.vraag('elan-wonen', 'POST', '/v1/meldingen', voorbeeldMelding());
  t.equal(post.status, 201);
  const id = post.body.id as string;
  const gelezen = async () => (await logboekVan(app, id)).filter((s) => s.name === 'melding-gelezen');
  t.same(await gelezen(), [], 'receiving it is not reading it');

  t.equal((await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`, undefined, { headers: { traceparent: `00-${TRACE}-b7ad6b7169203331-01` } })).status, 200);
  t.equal((await app.vraag('wijkteam-haarlem', 'GET', `/v1/meldingen/${id}`)).status, 200);
  const [corporatie, gemeente, ...meer] = await gelezen();
  t.same(meer, [], 'two reads, two records');
  t.match(corporatie, { traceId: TRACE, parentSpanId: 'b7ad6b7169203331', status: { code: 'STATUS_CODE_OK' } }, 'in the caller\'s trace');
  t.match(corporatie!.attributes, {
    'dpl.signaalbrug.melding_id': id, 'dpl.signaalbrug.organisatie_oin': ELAN_OIN, 'dpl.signaalbrug.kanaal': 'api',
    'dpl.core.processing_activity_id': 'urn:signaalbrug:verwerkingsregister#vroegsignalering', 'dpl.core.data_subject_id': /^\S+$/,
  });
  t.match(gemeente!.attributes, { 'dpl.signaalbrug.organisatie_oin': GEMEENTE_OIN, 'dpl.signaalbrug.kanaal': 'api' }, 'the gemeente\'s read names the gemeente');

  t.equal((await app.vraag('elan-wonen', 'HEAD', `/v1/meldingen/${id}`)).status, 200);
  t.equal((await app.vraag('pre-wonen', 'GET', `/v1/meldingen/${id}`)).status, 404, 'another corporation');
  t.equal((await app.vraag('elan-wonen', 'GET', '/v1/meldingen/5f0c2b1e-0000-4000-8000-000000000000')).status, 404, 'no such melding');
  t.equal((await gelezen()).length, 2, 'HEAD and the refused reads added nothing');
  t.same((await logboekVan(app)).filter((s) => s.name === 'melding-gelezen').length, 2, 'nor anything under another melding');
  t.same((await app.vraag('elan-wonen', 'GET', `/v1/meldingen/${id}`)).body.gebeurtenissen.map((g: { soort: string }) => g.soort), ['ontvangen'],
    'a read through the API is no event of the case (only the wijkteam\'s first opening in the portal is `gelezen`)');
});
