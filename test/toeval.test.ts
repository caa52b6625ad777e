// The random pool hands out every byte once, across refills, and refuses what it cannot give.
import t from 'tap';
import { willekeurig, willekeurigHex } from '../src/toeval.js';

t.test('ids and IVs from the pool are fresh across many refills', async (t) => {
  const gezien = new Set<string>();
  for (let i = 0; i < 5000; i++) gezien.add(willekeurigHex(16)); // 80 KB: about twenty refills
  t.equal(gezien.size, 5000, 'no id handed out twice');
  t.ok([...gezien].every((id) => /^[0-9a-f]{32}$/.test(id)), '16 bytes as lowercase hex');
  const iv = willekeurig(12);
  const kopie = Buffer.from(iv);
  for (let i = 0; i < 400; i++) willekeurig(12); // refills the pool under it
  t.same(iv, kopie, 'a buffer handed out is its own: a refill does not change it');
  t.throws(() => willekeurig(5000), RangeError);
});
