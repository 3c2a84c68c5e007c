import * as assert from 'assert/strict';
import { parseGraphEvidence, mergeEvidence } from '../../src/model/evidence';
import type { HuntKind } from '../../src/model/evidenceTypes';
import { HUNT_MAX_VALUES, huntCellsForIncident, huntCellsForValue, incidentWindow, kqlString } from '../../src/model/huntQueries';
import { alert, incident } from '../support/builders';

/**
 * A KQL lexer for the parts that decide where a string literal ends, after Kusto.Language: `"..."` and
 * `'...'` with backslash escapes, verbatim `@"..."` with doubled quotes, optional `h` prefix, `//` comments;
 * a literal is cut off by any line break Kusto knows (\n, \r, U+0085, U+2028, U+2029). Everything else
 * is one token per word or punctuation character.
 */
type Tok = { kind: 'string'; value: string; raw: string } | { kind: 'other'; raw: string };
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const DECODE: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', "'": "'", '\\': '\\' };

function lex(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (q.startsWith('//', i)) {
      while (i < q.length && !LINE_BREAK.test(q[i])) i++;
      continue;
    }
    const start = i;
    let j = i;
    if ((q[j] === 'h' || q[j] === 'H') && (q[j + 1] === '"' || q[j + 1] === "'" || q[j + 1] === '@')) j++;
    const verbatim = q[j] === '@' && (q[j + 1] === '"' || q[j + 1] === "'");
    if (verbatim) j++;
    if (q[j] === '"' || q[j] === "'") {
      const quote = q[j++];
      let value = '';
      let closed = false;
      while (j < q.length && !LINE_BREAK.test(q[j])) {
        if (verbatim && q[j] === quote && q[j + 1] === quote) {
          value += quote;
          j += 2;
          continue;
        }
        if (!verbatim && q[j] === '\\' && j + 1 < q.length) {
          const e = q[j + 1];
          assert.ok(e in DECODE, `escape \\${e} is not one Kusto documents`);
          value += DECODE[e];
          j += 2;
          continue;
        }
        if (q[j] === quote) {
          closed = true;
          j++;
          break;
        }
        value += q[j++];
      }
      assert.ok(closed, `unterminated string literal at ${start}: ${JSON.stringify(q.slice(start, j))}`);
      out.push({ kind: 'string', value, raw: q.slice(start, j) });
      i = j;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9]+|^(==|=~|!=|in~)/.exec(q.slice(i));
    const raw = word ? word[0] : c;
    out.push({ kind: 'other', raw });
    i += raw.length;
  }
  return out;
}

/** The query's shape: strings replaced by a placeholder. Two queries with the same shape mean the same thing. */
const shape = (q: string): string[] => lex(q).map(t => (t.kind === 'string' ? '<string>' : t.raw));
const strings = (q: string): string[] =>
  lex(q)
    .filter(t => t.kind === 'string')
    .map(t => t.value);

/** What the literal holds: the value, with the characters no KQL literal can carry replaced by U+FFFD. */
const representable = (v: string): string =>
  v.replace(/[\p{Cc}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, c =>
    '\n\r\t\x07\b\f\v'.includes(c) ? c : '\uFFFD',
  );

const HOSTILE_VALUES = [
  'x" | take 1000000 //',
  'x\\" | take 1000000 //',
  '@"',
  '"@"""',
  "'; drop table x; '",
  'C:\\Windows\\System32\\',
  '\\',
  'a\nb" | union *',
  'a\r\n| where 1 == 1',
  'a\u2028| take 1000000 //',
  'a\u2029" | count',
  'a\u0085 | summarize count()',
  'tab\there',
  'nul\u0000bell\u0007esc\u001b',
  'bidi \u202E"| take 5 //',
  'lone \uD800 surrogate " |',
  '```\n| take 1',
  "h'x' | take 1",
  '\\u0022 | take 1',
  '',
  '𝒳 emoji 🦊 " // |',
];

describe('huntQueries: kqlString', () => {
  it('is one string literal whose value is the input, whatever the input', () => {
    for (const v of HOSTILE_VALUES) {
      const lit = kqlString(v);
      const toks = lex(`T | where C == ${lit} | take 10`);
      assert.deepEqual(
        toks.map(t => (t.kind === 'string' ? '<string>' : t.raw)),
        ['T', '|', 'where', 'C', '==', '<string>', '|', 'take', '10'],
        JSON.stringify(v),
      );
      assert.equal((toks[5] as { value: string }).value, representable(v), JSON.stringify(v));
      assert.ok(!LINE_BREAK.test(lit), `${JSON.stringify(v)} put a line break in the query`);
    }
  });

  it('spells quotes and backslashes as Kusto does', () => {
    assert.equal(kqlString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(kqlString('x\ny\tz'), '"x\\ny\\tz"');
    assert.equal(kqlString('plain.host.example'), '"plain.host.example"');
  });
});

describe('huntQueries: cells', () => {
  /** Benign values of every shape a kind tells apart (a UPN, an object id, a SID, a name; a device id or name...). */
  const BENIGN = ['benign-value', 'alice@contoso.com', '5e5c1d2e-0000-0000-0000-000000000000', 'S-1-5-21-1', 'ab'.repeat(20), 'ab'.repeat(32), 'ab'.repeat(16)];
  const shapes = (kind: HuntKind): Set<string> => new Set(BENIGN.flatMap(v => huntCellsForValue(kind, v).map(c => JSON.stringify(shape(c.query)))));

  it('a hostile value never changes the query: same shape as a benign value, the value one literal', () => {
    const kinds: HuntKind[] = ['device', 'user', 'ip', 'fileHash', 'url', 'mailbox'];
    for (const kind of kinds) {
      const benign = shapes(kind);
      for (const v of HOSTILE_VALUES) {
        const cells = huntCellsForValue(kind, v);
        assert.equal(cells.length, huntCellsForValue(kind, 'benign').length);
        cells.forEach(c => {
          // URL values are hunted by host: a hostile "URL" may parse to a host, the shape stays the same.
          assert.ok(benign.has(JSON.stringify(shape(c.query))), `${kind} ${JSON.stringify(v)}:\n${c.query}`);
          if (kind !== 'url' && kind !== 'user')
            assert.ok(
              strings(c.query).every(s => s === representable(v)),
              `${kind} ${JSON.stringify(v)}`,
            );
          assert.ok(!/[\n\r\u2028\u2029]/.test(c.title), 'title is one line');
        });
      }
    }
  });

  it('builds the documented cells for each kind', () => {
    const w = { start: '2026-11-20T08:55:00.000Z', end: '2026-11-20T11:00:00.000Z' };
    const device = huntCellsForValue('device', 'host1.contoso.com', w);
    assert.deepEqual(
      device.map(c => c.query.split('\n')[0]),
      ['DeviceProcessEvents', 'DeviceNetworkEvents'],
    );
    assert.match(device[0].query, /\| where DeviceName =~ "host1\.contoso\.com"\n/);
    assert.equal(device[0].timespan, '2026-11-20T08:55:00.000Z/2026-11-20T11:00:00.000Z');
    assert.match(huntCellsForValue('device', 'ef'.repeat(20))[0].query, /DeviceId == "efef/);
    assert.equal(huntCellsForValue('device', 'x')[0].timespan, undefined);
    const user = huntCellsForValue('user', 'alice@contoso.com')[0];
    assert.match(user.query, /^IdentityLogonEvents\n\| where AccountUpn =~ "alice@contoso\.com"/);
    assert.match(huntCellsForValue('user', '5e5c1d2e-0000-0000-0000-000000000000')[0].query, /AccountObjectId == /);
    assert.match(huntCellsForValue('user', 'CONTOSO\\alice')[0].query, /AccountName =~ "alice"/);
    const hash = huntCellsForValue('fileHash', 'ab'.repeat(32));
    assert.deepEqual(
      hash.map(c => c.query.split('\n')[0]),
      ['DeviceFileEvents', 'DeviceProcessEvents'],
    );
    assert.match(hash[0].query, /where SHA256 == "abab/);
    assert.match(huntCellsForValue('fileHash', 'ab'.repeat(20))[0].query, /where SHA1 == /);
    const ip = huntCellsForValue('ip', '203.0.113.7');
    assert.match(ip[0].query, /^DeviceNetworkEvents\n\| where RemoteIP == "203\.0\.113\.7" or LocalIP == "203\.0\.113\.7"/);
    assert.match(ip[1].query, /^IdentityLogonEvents\n\| where IPAddress == /);
    assert.match(huntCellsForValue('url', 'https://malicious.example/payload?a=1')[0].query, /RemoteUrl has "malicious\.example"/);
    assert.match(
      huntCellsForValue('mailbox', 'x@contoso.com')[0].query,
      /^EmailEvents\n\| where RecipientEmailAddress =~ "x@contoso\.com" or SenderFromAddress =~ /,
    );
  });

  it('incident window: an hour before the first alert to an hour after the last', () => {
    const inc = incident({
      alerts: [
        alert({ firstActivity: '2026-11-20T10:00:00Z', lastActivity: '2026-11-20T10:05:00Z' }),
        alert({ firstActivity: null, createdTime: '2026-11-21T12:00:00Z', lastActivity: null }),
      ],
    });
    assert.deepEqual(incidentWindow(inc), { start: '2026-11-20T09:00:00.000Z', end: '2026-11-21T13:00:00.000Z' });
    assert.deepEqual(incidentWindow(incident({ alerts: [], createdTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-02T00:00:00Z' })), {
      start: '2025-12-31T23:00:00.000Z',
      end: '2026-01-02T01:00:00.000Z',
    });
  });

  it('from an incident: its alert evidence, then devices, users, file hashes, IPs; hostile values stay literals', () => {
    const T = (t: string) => `#microsoft.graph.security.${t}`;
    const evil = 'evil" | take 1000000 //';
    const items = mergeEvidence([
      ...parseGraphEvidence(
        [
          { '@odata.type': T('deviceEvidence'), deviceDnsName: evil, mdeDeviceId: 'ab'.repeat(20) },
          { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: `${evil}@contoso.com` } },
          { '@odata.type': T('fileEvidence'), fileDetails: { sha256: 'cd'.repeat(32), fileName: evil } },
          { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.7' },
          { '@odata.type': T('registryKeyEvidence'), registryKey: evil },
        ],
        'da1',
      ).items,
      ...parseGraphEvidence(
        [
          { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.7' },
          { '@odata.type': T('ipEvidence'), ipAddress: '198.51.100.1' },
        ],
        'da2',
      ).items,
    ]);
    const inc = incident({ id: '42', alerts: [alert({ id: 'da1' }), alert({ id: 'da2' })] });
    const cells = huntCellsForIncident(inc, items);
    assert.deepEqual(
      cells.map(c => c.query.split('\n')[0]),
      [
        'AlertEvidence',
        'DeviceProcessEvents',
        'DeviceNetworkEvents',
        'IdentityLogonEvents',
        'DeviceFileEvents',
        'DeviceProcessEvents',
        'DeviceNetworkEvents',
        'IdentityLogonEvents',
      ],
    );
    assert.match(cells[0].query, /AlertId in \("da1", "da2"\)/);
    assert.ok(cells.every(c => c.timespan === '2026-11-20T08:55:00.000Z/2026-11-20T10:59:00.000Z'));
    assert.match(cells[1].query, /where DeviceId == "abab[ab]*" or DeviceName =~ "evil\\" \| take 1000000 \/\/"\n/);
    assert.match(cells[6].query, /RemoteIP in \("203\.0\.113\.7", "198\.51\.100\.1"\)/);
    assert.equal(cells[6].title, 'Network events with 2 IP addresses');
    for (const c of cells) {
      const toks = lex(c.query);
      assert.ok(!toks.some(t => t.kind === 'other' && t.raw === 'take' && toks.filter(x => x.raw === 'take').length > 1), c.query);
      assert.ok(toks.filter(t => t.kind === 'other' && t.raw === '|').length <= 3, c.query);
      assert.ok(strings(c.query).every(s => !s.includes('\uFFFD')));
    }
    assert.ok(cells.some(c => strings(c.query).includes(evil)));
  });

  it('lists at most HUNT_MAX_VALUES values of a kind in one cell and says how many there were', () => {
    const raw = Array.from({ length: HUNT_MAX_VALUES + 7 }, (_, i) => ({ '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: `10.0.0.${i}` }));
    const cells = huntCellsForIncident(incident({ alerts: [alert({ id: 'da1' })] }), parseGraphEvidence(raw, 'da1').items);
    const net = cells.find(c => c.title.startsWith('Network events'))!;
    assert.equal(net.title, `Network events with ${HUNT_MAX_VALUES} of ${HUNT_MAX_VALUES + 7} IP addresses`);
    assert.equal(strings(net.query).length, HUNT_MAX_VALUES * 2);
  });

  it('an incident without evidence or alerts gets no cells', () => {
    assert.deepEqual(huntCellsForIncident(incident({ alerts: [] }), []), []);
  });
});
