import * as assert from 'assert/strict';
import { evaluate, hasTerm, KqlSemanticError } from '../../src/mock/hunting/evaluate';
import { KqlSyntaxError, tokenize } from '../../src/mock/hunting/lexer';
import { parseKql, UnsupportedKql } from '../../src/mock/hunting/parser';
import { durationMs, parseTimespan, TimespanError } from '../../src/mock/hunting/timespan';
import { DateTime, toJson, type Column, type Row } from '../../src/mock/hunting/values';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const H = 3_600_000;
const D = 24 * H;

const SCHEMA: Column[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'DeviceName', type: 'string' },
  { name: 'FileName', type: 'string' },
  { name: 'ProcessCommandLine', type: 'string' },
  { name: 'ProcessId', type: 'long' },
  { name: 'RemoteIP', type: 'string' },
];
const row = (hoursAgo: number, DeviceName: string, FileName: string, ProcessCommandLine: string, ProcessId: number, RemoteIP = ''): Row => ({
  Timestamp: new DateTime(NOW - hoursAgo * H),
  DeviceName,
  FileName,
  ProcessCommandLine,
  ProcessId,
  RemoteIP,
});
const ROWS: Row[] = [
  row(200, 'ws-fin-0001.contoso.com', 'powershell.exe', 'powershell.exe -NoP -Enc SQBFAFgA', 4100, '185.220.101.7'),
  row(50, 'ws-fin-0001.contoso.com', 'cmd.exe', 'cmd.exe /c whoami /all', 4200),
  row(30, 'srv-dc-01.contoso.com', 'PsExec64.exe', 'PsExec64.exe \\\\srv-file-01 -s cmd.exe', 300, '10.1.2.3'),
  row(5, 'ws-fin-0001.contoso.com', 'powershell.exe', 'powershell.exe -File C:\\ProgramData\\update.ps1', 5100, '185.220.101.7'),
  row(1, 'lt-hr-0042.contoso.com', 'msedge.exe', 'msedge.exe --type=renderer', 77, '13.107.42.14'),
];

function run(query: string, rows: Row[] = ROWS): { columns: Column[]; rows: Row[] } {
  return evaluate(parseKql(query), { tables: { T: rows }, schemas: { T: SCHEMA }, now: NOW, from: 0, to: NOW + D });
}
const col = (q: string, name: string): unknown[] => run(q).rows.map(r => toJson(r[name]));

describe('mock KQL: tokenizer and parser', () => {
  it('reads every string literal form: escapes, verbatim with doubled quotes, single quotes, h-prefixed', () => {
    const s = (src: string): string => {
      const t = tokenize(src)[0];
      assert.equal(t.kind, 'string', src);
      return t.text;
    };
    assert.equal(s(String.raw`"a\"b\\c\n"`), 'a"b\\c\n');
    assert.equal(s(String.raw`'it\'s'`), "it's");
    assert.equal(s(String.raw`@"C:\Windows\""x"""`), 'C:\\Windows\\"x"');
    assert.equal(s(String.raw`@'a''b'`), "a'b");
    assert.equal(s('h"secret"'), 'secret');
    assert.equal(s(String.raw`"\u0041"`), 'A');
    assert.throws(() => tokenize('"unterminated'), KqlSyntaxError);
    assert.throws(() => tokenize('"a\nb"'), KqlSyntaxError, 'a normal string cannot span lines');
    assert.equal(tokenize('@"a\nb"')[0].text, 'a\nb', 'a verbatim one can');
  });

  it('reads numbers, timespans, datetime literals and skips comments', () => {
    const toks = tokenize('T // note\n| where X > 1.5 and Timestamp > ago(7d) and T2 < datetime(2026-02-01T10:00:00Z) and Y < 90m');
    const byKind = (k: string): string[] => toks.filter(t => t.kind === k).map(t => t.text);
    assert.deepEqual(byKind('number'), ['1.5']);
    assert.deepEqual(byKind('timespan'), ['7d', '90m']);
    assert.equal(toks.find(t => t.kind === 'timespan')?.value, 7 * D);
    assert.equal(toks.find(t => t.kind === 'datetime')?.value, Date.parse('2026-02-01T10:00:00Z'));
    assert.ok(!toks.some(t => t.text === 'note'));
    assert.throws(() => tokenize('T | where X > 3parsecs'), KqlSyntaxError);
  });

  it('builds the tree with KQL precedence: and binds tighter than or, comparisons tighter than and', () => {
    const q = parseKql('T | where A == "x" or B == "y" and not(C has "z")');
    const w = q.operators[0];
    assert.equal(w.kind, 'where');
    if (w.kind !== 'where' || w.predicate.kind !== 'binary') throw new Error('shape');
    assert.equal(w.predicate.op, 'or');
    assert.equal(w.predicate.right.kind === 'binary' && w.predicate.right.op, 'and');
    const q2 = parseKql(
      'T | where Timestamp between (datetime(2026-01-01) .. 1d) | project A, B2 = B | extend C = A | sort by A asc, B2 desc nulls first | top 3 by A | take 2',
    );
    assert.deepEqual(
      q2.operators.map(o => o.kind),
      ['where', 'project', 'extend', 'sort', 'top', 'take'],
    );
    const sort = q2.operators[3];
    assert.ok(sort.kind === 'sort' && !sort.by[0].desc && sort.by[1].desc && sort.by[1].nullsFirst);
    assert.equal(parseKql('T | limit 5').operators[0].kind, 'take');
    assert.equal(parseKql('T | order by A').operators[0].kind, 'sort');
    assert.equal(parseKql("['T'] | count").table, 'T');
  });

  it("syntax errors say where, in Kusto's words", () => {
    const msg = (q: string): string => {
      try {
        parseKql(q);
      } catch (e) {
        assert.ok(e instanceof KqlSyntaxError, `${q}: ${String(e)}`);
        return e.message;
      }
      throw new Error(`${q} parsed`);
    };
    assert.equal(msg('T | where A = "x"'), "Syntax error: Query could not be parsed at '=' on line [1,13]");
    assert.match(msg('T |'), /could not be parsed at '<end of query>'/);
    assert.match(msg('T\n| where (A == 1'), /line \[2,/);
    assert.match(msg('T | frobnicate'), /'frobnicate'/);
    assert.match(msg('T | take x'), /'x'/);
    assert.match(msg('T | where A in ("a", "b"'), /could not be parsed/);
    assert.match(msg('T T2'), /'T2'/);
  });

  it('what is KQL but outside the subset is named as not supported', () => {
    const msg = (q: string): string => {
      try {
        parseKql(q);
      } catch (e) {
        assert.ok(e instanceof UnsupportedKql, `${q}: ${String(e)}`);
        return e.message;
      }
      throw new Error(`${q} parsed`);
    };
    assert.match(msg('T | join (U) on A'), /does not support the 'join' operator\. Supported operators: where, project/);
    assert.match(msg('T | project-away A'), /'project-away'/);
    assert.match(msg('T | mv-expand A'), /'mv-expand'/);
    assert.match(msg('let x = 1; T'), /'let' statements/);
    assert.match(msg('T | summarize avg(A)'), /aggregation 'avg\(\)'/);
    assert.match(msg('T | extend B = bin(Timestamp, 1h)'), /function 'bin\(\)'/);
    assert.match(msg('T | where A matches regex "x"'), /'matches'/);
    assert.match(msg('T | where A has_any ("a")'), /'has_any'/);
    assert.match(msg('T | count; U | count'), /several statements/);
    assert.match(msg('union T, U'), /'union'/);
  });
});

describe('mock KQL: evaluator', () => {
  it('where ==, !=, =~, !~ (case-sensitive and not)', () => {
    assert.equal(run('T | where FileName == "powershell.exe"').rows.length, 2);
    assert.equal(run('T | where FileName == "PowerShell.exe"').rows.length, 0);
    assert.equal(run('T | where FileName =~ "PowerShell.EXE"').rows.length, 2);
    assert.equal(run('T | where FileName != "powershell.exe"').rows.length, 3);
    assert.equal(run('T | where FileName !~ "POWERSHELL.exe"').rows.length, 3);
    assert.equal(run('T | where ProcessId == 300').rows.length, 1);
  });

  it('has matches whole terms, contains substrings, both case-insensitive; their negations', () => {
    assert.equal(run('T | where ProcessCommandLine has "whoami"').rows.length, 1);
    assert.equal(run('T | where ProcessCommandLine has "who"').rows.length, 0, 'not a whole term');
    assert.equal(run('T | where ProcessCommandLine contains "WHO"').rows.length, 1);
    assert.equal(run('T | where RemoteIP has "185.220.101.7"').rows.length, 2);
    assert.equal(run('T | where RemoteIP has "185.220.101"').rows.length, 2, 'a term sequence');
    assert.equal(run('T | where RemoteIP has "85.220"').rows.length, 0);
    assert.equal(run('T | where ProcessCommandLine !has "powershell"').rows.length, 3);
    assert.equal(run('T | where ProcessCommandLine !contains "exe"').rows.length, 0);
    assert.equal(run('T | where ProcessCommandLine has_cs "WHOAMI"').rows.length, 0);
    assert.equal(run('T | where DeviceName startswith "WS-" and DeviceName endswith ".com"').rows.length, 3);
    assert.ok(hasTerm('C:\\ProgramData\\update.ps1', 'update.ps1', false));
    assert.ok(!hasTerm('xupdate.ps1', 'update.ps1', false));
  });

  it('in, !in, in~ with lists and dynamic([...])', () => {
    assert.equal(run('T | where FileName in ("cmd.exe", "msedge.exe")').rows.length, 2);
    assert.equal(run('T | where FileName in ("CMD.EXE")').rows.length, 0);
    assert.equal(run('T | where FileName in~ ("CMD.EXE")').rows.length, 1);
    assert.equal(run('T | where FileName !in ("cmd.exe", "msedge.exe")').rows.length, 3);
    assert.equal(run('T | where FileName !in~ ("CMD.EXE")').rows.length, 4);
    assert.equal(run('T | where ProcessId in (dynamic([77, 300]))').rows.length, 2);
  });

  it('between for numbers and times (also start .. timespan), ago(), now(), datetime(), arithmetic on times', () => {
    assert.equal(run('T | where ProcessId between (100 .. 4200)').rows.length, 3);
    assert.equal(run('T | where ProcessId !between (100 .. 4200)').rows.length, 2);
    assert.equal(run('T | where Timestamp > ago(2d)').rows.length, 3);
    assert.equal(run('T | where Timestamp between (ago(2d) .. now())').rows.length, 3);
    assert.equal(run('T | where Timestamp between (datetime(2026-03-01T06:00:00Z) .. 12h)').rows.length, 2);
    assert.equal(run('T | where Timestamp between ((datetime(2026-03-01T11:00:00Z) - 1h) .. (datetime(2026-03-01T11:00:00Z) + 1h))').rows.length, 1);
    assert.equal(run('T | where Timestamp < datetime("2026-02-25")').rows.length, 1);
  });

  it('and / or / not()', () => {
    assert.equal(run('T | where FileName == "powershell.exe" and Timestamp > ago(1d)').rows.length, 1);
    assert.equal(run('T | where FileName == "cmd.exe" or FileName == "msedge.exe"').rows.length, 2);
    assert.equal(run('T | where not(FileName == "powershell.exe")').rows.length, 3);
    assert.equal(run('T | where not(FileName == "powershell.exe" or ProcessId < 100)').rows.length, 2);
  });

  it('project (rename, computed), extend of a column and of an expression, their types', () => {
    const p = run('T | where ProcessId == 77 | project FileName, Pid = ProcessId, Lower = tolower(DeviceName), strlen(FileName)');
    assert.deepEqual(p.columns, [
      { name: 'FileName', type: 'string' },
      { name: 'Pid', type: 'long' },
      { name: 'Lower', type: 'string' },
      { name: 'strlen_FileName', type: 'long' },
    ]);
    assert.deepEqual(p.rows, [{ FileName: 'msedge.exe', Pid: 77, Lower: 'lt-hr-0042.contoso.com', strlen_FileName: 10 }]);
    const e = run('T | take 1 | extend Host = DeviceName, Age = now() - Timestamp');
    assert.equal(e.columns.length, SCHEMA.length + 2);
    assert.equal(e.rows[0].Host, e.rows[0].DeviceName);
    assert.equal(toJson(e.rows[0].Age), '8.08:00:00');
    assert.equal(e.columns.at(-1)?.type, 'timespan');
  });

  it('take/limit, top N by, order by/sort by (default descending, asc, several keys)', () => {
    assert.equal(run('T | take 2').rows.length, 2);
    assert.equal(run('T | limit 0').rows.length, 0);
    assert.deepEqual(col('T | top 2 by ProcessId', 'ProcessId'), [5100, 4200]);
    assert.deepEqual(col('T | top 2 by ProcessId asc', 'ProcessId'), [77, 300]);
    assert.deepEqual(col('T | order by Timestamp', 'ProcessId'), [77, 5100, 300, 4200, 4100]);
    assert.deepEqual(col('T | sort by FileName asc, ProcessId desc', 'ProcessId'), [300, 4200, 77, 5100, 4100]);
  });

  it('summarize count() by, named aggregates, dcount/min/max/countif; distinct; count', () => {
    const s = run('T | summarize count() by DeviceName | sort by count_ desc');
    assert.deepEqual(s.columns, [
      { name: 'DeviceName', type: 'string' },
      { name: 'count_', type: 'long' },
    ]);
    assert.deepEqual(s.rows[0], { DeviceName: 'ws-fin-0001.contoso.com', count_: 3 });
    assert.deepEqual(run('T | summarize N = count()').rows, [{ N: 5 }]);
    assert.deepEqual(run('T | where FileName == "nothing" | summarize count()').rows, [{ count_: 0 }]);
    const a = run(
      'T | summarize Files = dcount(FileName), First = min(Timestamp), Last = max(ProcessId), Ps = countif(FileName == "powershell.exe") by DeviceName | where DeviceName startswith "ws-"',
    );
    assert.deepEqual(
      a.rows.map(r => [r.Files, toJson(r.First), r.Last, r.Ps]),
      [[2, '2026-02-21T04:00:00.0000000Z', 5100, 2]],
    );
    assert.equal(a.columns.find(c => c.name === 'First')?.type, 'datetime');
    assert.deepEqual(col('T | distinct FileName | sort by FileName asc', 'FileName'), ['PsExec64.exe', 'cmd.exe', 'msedge.exe', 'powershell.exe']);
    assert.equal(run('T | distinct DeviceName, FileName').rows.length, 4);
    assert.deepEqual(run('T | count').rows, [{ Count: 5 }]);
  });

  it('print: one row of expressions (named, or print_0, print_1...), then the operators', () => {
    const p = run('print Check = "connection check", 1 + 2, ago(1h) | extend Two = strlen(Check)');
    assert.deepEqual(
      p.columns.map(c => [c.name, c.type]),
      [
        ['Check', 'string'],
        ['print_1', 'long'],
        ['print_2', 'datetime'],
        ['Two', 'long'],
      ],
    );
    assert.deepEqual(
      p.rows.map(r => [r.Check, r.print_1, toJson(r.print_2), r.Two]),
      [['connection check', 3, '2026-03-01T11:00:00.0000000Z', 16]],
    );
    assert.throws(() => run('print FileName'), /Failed to resolve scalar expression named 'FileName'/);
  });

  it('semantic errors: unknown table, unknown column (also after project), wrong ago() argument', () => {
    assert.throws(
      () => run('Nope | take 1'),
      (e: unknown) => e instanceof KqlSemanticError && /named 'Nope'/.test(e.message),
    );
    assert.throws(
      () => run('T | where Nope == 1'),
      (e: unknown) => e instanceof KqlSemanticError && e.message === "'where' operator: Failed to resolve scalar expression named 'Nope'",
    );
    assert.throws(() => run('T | project FileName | where DeviceName == "x"'), /Failed to resolve scalar expression named 'DeviceName'/);
    assert.throws(() => run('T | where Timestamp > ago("7d")'), /ago\(\): argument must be of type timespan/);
  });

  it('values are data: a row holding KQL, markup and control characters is only compared, never run', () => {
    const evil = 'x" or 1==1 | project-away * | where "a"=="a';
    const rows = [row(1, evil, '<script>alert(1)</script>', '\u202Ecmd\u0000', 1), row(2, 'ok', 'ok', 'ok', 2)];
    const r = run(`T | where DeviceName == @"x"" or 1==1 | project-away * | where ""a""==""a"`, rows);
    assert.equal(r.rows.length, 1);
    assert.equal(r.rows[0].FileName, '<script>alert(1)</script>');
    assert.equal(run('T | where DeviceName == "x\\" or 1==1 | project-away * | where \\"a\\"==\\"a"', rows).rows.length, 1);
    assert.equal(run('T | where DeviceName has "project"', rows).rows.length, 1, '- separates terms');
    assert.equal(run('T | where DeviceName has "proj"', rows).rows.length, 0);
    assert.equal(run('T | where DeviceName has "project-away"', rows).rows.length, 1);
  });
});

describe('mock hunting: Timespan', () => {
  it('reads durations and the three interval forms; absent is 30 days', () => {
    assert.deepEqual(parseTimespan(undefined, NOW), { from: NOW - 30 * D, to: NOW });
    assert.deepEqual(parseTimespan('P7D', NOW), { from: NOW - 7 * D, to: NOW });
    assert.equal(durationMs('PT12H'), 12 * H);
    assert.equal(durationMs('P1DT6H30M'), D + 6.5 * H);
    assert.equal(durationMs('P2W'), 14 * D);
    const start = Date.parse('2026-02-01T00:00:00Z');
    const end = Date.parse('2026-02-10T00:00:00Z');
    assert.deepEqual(parseTimespan('2026-02-01T00:00:00Z/2026-02-10T00:00:00Z', NOW), { from: start, to: end });
    assert.deepEqual(parseTimespan('P30D/2026-02-10T00:00:00Z', NOW), { from: end - 30 * D, to: end });
    assert.deepEqual(parseTimespan('2026-02-01T00:00:00Z/P3D', NOW), { from: start, to: start + 3 * D });
    assert.deepEqual(parseTimespan('2026-02-01/2026-02-10', NOW), { from: start, to: end });
  });

  it('refuses what is not ISO 8601', () => {
    for (const bad of ['7d', 'P', 'PT', '', 'P7D/P3D', '2026-02-10/2026-02-01', 'a/b/c', 42, 'yesterday']) {
      assert.throws(() => parseTimespan(bad, NOW), TimespanError, String(bad));
    }
  });
});
