import t from 'tap';
import { Sleutelring } from '../../src/store/sleutelring.js';

t.test('round trip, bound to its context, tamper-evident', async (t) => {
  const ring = Sleutelring.fromJson(Sleutelring.nieuw('a'), 'test');
  const blob = ring.versleutel('Jan van Dijk', 'melding-1');
  t.match(blob, /^v1\.a\./, 'key id stored with the ciphertext');
  t.notMatch(blob, /Jan/);
  t.equal(ring.ontsleutel(blob, 'melding-1'), 'Jan van Dijk');
  t.throws(() => ring.ontsleutel(blob, 'melding-2'), 'another record cannot borrow the ciphertext');
  const delen = blob.split('.');
  const ct = Buffer.from(delen[3]!, 'base64url');
  ct[0] = ct[0]! ^ 0x01;
  delen[3] = ct.toString('base64url');
  t.throws(() => ring.ontsleutel(delen.join('.'), 'melding-1'), 'tampering detected');
  t.not(ring.versleutel('x', 'c'), ring.versleutel('x', 'c'), 'fresh IV each time');
});

t.test('rotation: old ciphertexts stay readable, new ones use the active key', async (t) => {
  const oud = JSON.parse(Sleutelring.nieuw('k1'));
  const ring1 = Sleutelring.fromJson(JSON.stringify(oud), 'test');
  const blob = ring1.versleutel('geheim', 'c');
  const nieuw = { ...oud, actief: 'k2', sleutels: { ...oud.sleutels, k2: JSON.parse(Sleutelring.nieuw('k2')).sleutels.k2 } };
  const ring2 = Sleutelring.fromJson(JSON.stringify(nieuw), 'test');
  t.equal(ring2.ontsleutel(blob, 'c'), 'geheim');
  t.match(ring2.versleutel('x', 'c'), /^v1\.k2\./);
  t.equal(ring2.pseudoniem('a', 'b'), ring1.pseudoniem('a', 'b'), 'pseudonyms survive rotation');
  const zonder = Sleutelring.fromJson(JSON.stringify({ ...nieuw, sleutels: { k2: nieuw.sleutels.k2 } }), 'test');
  t.throws(() => zonder.ontsleutel(blob, 'c'), /sleutel k1 ontbreekt/);
});

t.test('refuses a bad keyring, naming the source', async (t) => {
  t.throws(() => Sleutelring.fromJson('{', 'ring.json'), /ring\.json: geen geldige JSON/);
  t.throws(() => Sleutelring.fromJson(JSON.stringify({ actief: 'a', sleutels: { a: 'kort' }, pseudoniem: 'kort' }), 'ring.json'), /ring\.json: sleutels\.a: een sleutel is 32 bytes/);
  const r = JSON.parse(Sleutelring.nieuw('a'));
  t.throws(() => Sleutelring.fromJson(JSON.stringify({ ...r, actief: 'b' }), 'ring.json'), /actieve sleutel b ontbreekt/);
  t.throws(() => Sleutelring.laad(undefined, {}), /geen sleutels/);
  t.equal(Sleutelring.laad(undefined, { SIGNAALBRUG_SLEUTELS: Sleutelring.nieuw('env') }).actieveSleutel, 'env');
});
