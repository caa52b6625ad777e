import t from 'tap';
import { GEBEURTENISSEN, STATUSSEN, volgendeStatus, isFinaal } from '../../src/domain/status.js';

t.test('state machine', async (t) => {
  const cases: [string, string, string][] = [
    ['ontvangen', 'verzonden', 'verzonden'],
    ['verzonden', 'verzonden', 'verzonden'],
    ['ontvangen', 'bezorging-mislukt', 'bezorging-mislukt'],
    ['verzonden', 'bezorging-mislukt', 'verzonden'], // a failed reminder does not undo the delivery
    ['bezorging-mislukt', 'verzonden', 'verzonden'], // operator fixed the key and re-sent
    ['verzonden', 'gelezen', 'gelezen'],
    ['gelezen', 'verzonden', 'gelezen'],
    ['verzonden', 'geescaleerd', 'geescaleerd'],
    ['geescaleerd', 'teruggekoppeld', 'teruggekoppeld'], // late feedback is accepted (art. 3.7)
    ['teruggekoppeld', 'geescaleerd', 'teruggekoppeld'],
    ['gelezen', 'ingetrokken', 'ingetrokken'],
    ['ingetrokken', 'verzonden', 'ingetrokken'],
    ['afgesloten', 'ingetrokken', 'afgesloten'],
    ['teruggekoppeld', 'afgesloten', 'afgesloten'],
    ['ontvangen', 'bezorgpoging-mislukt', 'ontvangen'],
  ];
  for (const [van, g, naar] of cases) t.equal(volgendeStatus(van as never, g as never), naar, `${van} + ${g}`);
  for (const s of STATUSSEN) for (const g of GEBEURTENISSEN)
    if (isFinaal(s)) t.equal(volgendeStatus(s, g), s, `${s} is final (${g})`);
});
