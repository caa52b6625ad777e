// The portal of a regional hub: the one-time code for a melding's troubleshooter link goes
// to the troubleshooter of the melding's own gemeente, under that gemeente's sender identity; a
// Haarlem melding's code still goes to Haarlem's, under the deployment's.
import t from 'tap';
import { alsRegionaleHub } from '../helpers/hub.js';
import { kop } from '../helpers/mail.js';
import { bouwPortaal, kanarieMelding } from '../helpers/portaal.js';
import { vraagCode } from '../helpers/portaal-stappen.js';

const YMERE = '00000099000000000003';

t.test('a troubleshooter\'s code goes to the troubleshooter of the melding\'s own gemeente', async (t) => {
  const p = await bouwPortaal(t, { configAanpassen: (d) => alsRegionaleHub(d, String(d.tls.ca[0]).replace(/\/ca\.crt$/, '')) });
  const m = kanarieMelding();
  const ontvang = async (referentie: string, postcode: string) =>
    (await p.sb.diensten.intake.ontvang(YMERE, { ...m, referentie, adres: { ...m.adres, postcode } })).record.id;
  const token = async (id: string) => decodeURIComponent(/\/b\/([^/]+)$/.exec(await p.sb.diensten.toegang.nieuweLink(id, 'troubleshooter'))![1]!);

  const hilversum = await ontvang('HUB-HILVERSUM', '1215AB');
  await vraagCode(p, await token(hilversum));
  t.match(kop(p.laatsteMail(), 'To'), 'troubleshooter@hilversum.example', 'Hilversum\'s troubleshooter');
  t.match(kop(p.laatsteMail(), 'From'), 'signaalbrug@hilversum.example', 'from Hilversum\'s own sender');

  const haarlem = await ontvang('HUB-HAARLEM', '2011DE');
  await vraagCode(p, await token(haarlem));
  t.match(kop(p.laatsteMail(), 'To'), 'troubleshooter@haarlem.example', 'Haarlem\'s troubleshooter');
  t.match(kop(p.laatsteMail(), 'From'), 'signaalbrug@haarlem.example', 'from the deployment\'s sender');
});
