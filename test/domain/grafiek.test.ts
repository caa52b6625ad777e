// The SVG charts of the figures pages: well-formed, accessible (img with title and desc), no script
// and no inline style (the werkplek's CSP), values escaped, gaps for missing points, and no bar for
// a suppressed figure. And the SLA share, which is never computed from a suppressed cell.
import t from 'tap';
import { lijngrafiek, maanden, slaPunt, staafgrafiek, xml } from '../../src/domain/grafiek.js';

const tk = (opTijd: number | string, teLaat: number | string, ontbreekt: number | string) =>
  ({ opTijd, teLaat, ontbreekt, binnenTermijn: 0, vervallen: 0 });

t.test('a line chart: an img with its title and description, lines with gaps, legend, no script or style', async (t) => {
  const svg = lijngrafiek({
    id: 'g1', titel: 'Op tijd <per maand>', beschrijving: 'Lijngrafiek "A & B"',
    categorieen: ['jan 2026', 'feb 2026', 'mrt 2026', 'apr 2026'],
    reeksen: [{ naam: 'Noord', waarden: [50, 75, null, 100] }, { naam: 'Zuid & Oost', waarden: [null, null, 20, null] }],
  });
  t.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="grafiek" role="img" /);
  t.match(svg, 'aria-labelledby="g1-titel g1-beschrijving"');
  t.match(svg, '<title id="g1-titel">Op tijd &lt;per maand&gt;</title>');
  t.match(svg, '<desc id="g1-beschrijving">Lijngrafiek &quot;A &amp; B&quot;</desc>');
  t.notMatch(svg, /<script|style=|on[a-z]+=/i, 'no script, no inline style, no event handler');
  t.ok(svg.endsWith('</svg>'));
  // Noord: one line over jan-feb, then a lone point in apr; Zuid & Oost only a point.
  t.equal(svg.match(/<polyline /g)?.length, 1, 'a gap breaks the line; a lone value is no line');
  t.match(svg, '<text x="98" y="264">Noord</text>');
  t.match(svg, 'Zuid &amp; Oost');
  t.match(svg, 'stroke-dasharray="8 4"', 'the second series is dashed: not told apart by colour alone');
  for (const l of ['0%', '50%', '100%', 'jan 2026', 'apr 2026']) t.match(svg, `>${l}</text>`);
  // y = 100% is at the top of the plot (16), 50% halfway (116), 0 at the bottom (216).
  t.match(svg, /<polyline points="52\.0,116\.0 234\.7,66\.0"/);
  // Balanced tags (a cheap well-formedness check): every opened element is closed or self-closed.
  const open = (svg.match(/<(svg|g|title|desc|text)\b/g) ?? []).length;
  const dicht = (svg.match(/<\/(svg|g|title|desc|text)>/g) ?? []).length;
  t.equal(open, dicht);
});

t.test('a bar chart: a suppressed figure is text, never a bar', async (t) => {
  const svg = staafgrafiek({ id: 'b', titel: 'Meldingen', beschrijving: 'Per maand', staven: [
    { label: 'jan', waarde: 10 }, { label: 'feb', waarde: '< 5' }, { label: 'mrt', waarde: 0 }, { label: 'apr', waarde: null },
  ] });
  t.equal(svg.match(/<rect /g)?.length, 2, 'bars for 10 and 0 only');
  t.match(svg, /<rect x="220" y="13" width="356\.0" height="20"/, 'the largest bar fills the width');
  t.match(svg, 'font-style="italic">&lt; 5</text>');
  t.match(svg, '>geen gegevens</text>');
  t.match(svg, 'role="img"');
});

t.test('the SLA share: only from cells that are not suppressed', async (t) => {
  t.same(slaPunt(tk(6, 3, 1)), { procent: 60 });
  t.same(slaPunt(tk(7, 0, 0)), { procent: 100 });
  t.same(slaPunt(tk(2, 1, 0)), { procent: 66.7 });
  t.same(slaPunt(tk(0, 0, 0)), { procent: null, reden: 'geen' });
  t.same(slaPunt(tk('< 5', 20, 0)), { procent: null, reden: 'onderdrukt' }, 'a share of a suppressed cell would give it away');
  t.same(slaPunt(tk(20, 0, '< 5')), { procent: null, reden: 'onderdrukt' });
});

t.test('months of a period, clipped to it', async (t) => {
  t.same(maanden('2026-01-15', '2026-03-02'), [
    { van: '2026-01-15', tot: '2026-01-31', label: 'jan 2026' },
    { van: '2026-02-01', tot: '2026-02-28', label: 'feb 2026' },
    { van: '2026-03-01', tot: '2026-03-02', label: 'mrt 2026' },
  ]);
  t.same(maanden('2027-12-01', '2028-02-29').map((m) => m.tot), ['2027-12-31', '2028-01-31', '2028-02-29'], 'over a year end, a leap day');
  t.same(maanden('2026-05-10', '2026-05-10'), [{ van: '2026-05-10', tot: '2026-05-10', label: 'mei 2026' }]);
  t.equal(xml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});
