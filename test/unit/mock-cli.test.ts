import * as assert from 'assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import { promises as fsp } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { parseArgs, UsageError } from '../../src/mock/cli';
import { compileFilter, FilterError, type FilterDialect } from '../../src/mock/odata';
import { parseDataFile } from '../../src/mock/db';
import { call, rec, rememberKey, tempDir } from '../fixtures/mock-helpers';

const CLI = path.join(__dirname, '..', '..', 'src', 'mock', 'cli.js');

function run(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, MOCK_KEY: '', MOCK_CLIENT_SECRET: '', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exit = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('mock server CLI', () => {
  describe('parseArgs', () => {
    it('has the documented defaults', () => {
      const o = parseArgs([], '/work', {});
      assert.equal(o.server.port, 18090);
      assert.equal(o.server.host, '127.0.0.1');
      assert.equal(o.dataFile, path.join('/work', '.mock-data', 'incidents.json'));
      assert.equal(o.server.extensions, false);
      assert.equal(o.server.auth, undefined);
      assert.equal(o.server.requireKey, true, 'the standalone server always requires its key');
      assert.equal(o.server.key, undefined, 'a fresh random key unless --key');
      assert.equal(o.server.control, undefined, 'no control routes unless --control');
      assert.equal(o.server.rateLimit, undefined);
      assert.equal(o.server.clockOffsetMs, undefined);
    });

    it('reads every option', () => {
      const o = parseArgs(
        [
          '--port',
          '18095',
          '--host=127.0.0.2',
          '--data',
          'x.json',
          '--count',
          '500',
          '--seed',
          '9',
          '--extensions',
          '--require-auth',
          '--tenant',
          't',
          '--client-id',
          'c',
        ],
        '/w',
        { MOCK_CLIENT_SECRET: 's' },
      );
      assert.equal(o.server.port, 18095);
      assert.equal(o.server.host, '127.0.0.2');
      assert.equal(o.dataFile, path.resolve('/w', 'x.json'));
      assert.equal(o.server.dataFile, o.dataFile);
      assert.equal(o.server.incidentCount, 500);
      assert.equal(o.server.seed, 9);
      assert.equal(o.server.extensions, true);
      assert.deepEqual(o.server.auth, { tenantId: 't', clientId: 'c', clientSecret: 's', required: true });
      assert.equal(parseArgs(['--help']).help, true);
      const files: Record<string, string> = { [path.resolve('/w', 'key.txt')]: `${'k'.repeat(24)}\n`, [path.resolve('/w', 'secret.txt')]: 'from-file\n' };
      const read = (f: string) => {
        if (!(f in files)) throw new Error('ENOENT');
        return files[f];
      };
      assert.equal(
        parseArgs(['--require-auth', '--tenant', 't', '--client-id', 'c', '--client-secret-file', 'secret.txt'], '/w', {}, read).server.auth?.clientSecret,
        'from-file',
      );
      assert.equal(parseArgs([], '/w', { MOCK_KEY: 'e'.repeat(20) }).server.key, 'e'.repeat(20), 'the key from the environment');
      const s = parseArgs(
        ['--key-file', 'key.txt', '--control', '--rate-limit', '2', '--rate-window-ms', '12000', '--retry-after-header', '--clock-offset-ms', '-180000'],
        '/w',
        {},
        read,
      ).server;
      assert.equal(s.key, 'k'.repeat(24));
      assert.equal(s.control, true);
      assert.deepEqual(s.rateLimit, { limit: 2, windowMs: 12000, retryAfterHeader: true });
      assert.equal(s.clockOffsetMs, -180000);
      assert.deepEqual(parseArgs(['--rate-limit', '50']).server.rateLimit, { limit: 50, windowMs: 60000 });
      assert.equal(parseArgs(['--clock-offset-ms=180000']).server.clockOffsetMs, 180000);
    });

    it('explains bad options', () => {
      for (const [args, pattern] of [
        [['--port', 'abc'], /--port must be a whole number/],
        [['--port', '70000'], /--port/],
        [['--port'], /--port needs a value/],
        [['--bogus'], /Unknown option '--bogus'/],
        [['--require-auth'], /--tenant, --client-id and a client secret/],
        [['--count', '--seed'], /--count needs a value/],
        // Issue 16 item 10: secrets never on the command line (every process on the machine can read it).
        [['--key', 'k'.repeat(24)], /not taken on the command line.*--key-file/],
        [['--client-secret', 's'], /not taken on the command line.*MOCK_CLIENT_SECRET/],
        [['--key-file', '/nonexistent/key'], /--key-file: cannot read/],
        [['--rate-limit', '0'], /--rate-limit/],
        [['--retry-after-header'], /need --rate-limit/],
        [['--clock-offset-ms', '1.5'], /--clock-offset-ms/],
      ] as const) {
        assert.throws(
          () => parseArgs(args, '/w', {}),
          (e: unknown) => e instanceof UsageError && pattern.test(e.message),
          args.join(' '),
        );
      }
    });
  });

  describe('process', function () {
    this.timeout(30_000);
    let dir: string;
    before(async () => {
      dir = await tempDir('mockcli');
    });
    after(async () => {
      await fsp.rm(dir, { recursive: true, force: true });
    });

    it('prints its URL, data file and key, serves only with the key, and flushes on SIGTERM', async () => {
      const data = path.join(dir, 'data.json');
      const key = 'cli-test-key-0123456789abcdef';
      const p = run(['--port', '0', '--data', data, '--count', '12', '--quiet', '--control'], { MOCK_KEY: key });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          p.child.stdout.on('data', () => {
            const m = /^Mock Defender backend listening on (http:\/\/127\.0\.0\.1:\d+) \(data: (.+)\)$/m.exec(p.out());
            // The banner arrives in chunks: wait for its last line (the key) before reading it.
            if (m && /^ {2}Key: [^\n]*\n/m.test(p.out())) {
              assert.equal(m[2], data);
              resolve(m[1]);
            }
          });
          void p.exit.then(code => reject(new Error(`exited ${code}: ${p.err()}`)));
        });
        assert.match(p.out(), /\/v1\.0\/security\/incidents/);
        assert.match(p.out(), new RegExp(`^  Key: ${key}$`, 'm'));
        assert.equal((await call(`${url}/api/incidents?$top=1`)).status, 401, 'no key, no answer');
        rememberKey(url, key);
        const health = rec((await call(`${url}/__mock/health`)).json);
        assert.equal(health.incidents, 12);
        const list = rec((await call(`${url}/api/incidents?$top=1`)).json);
        const first = rec((list.value as unknown[])[0]);
        const edit = await call(`${url}/__mock/edit`, {
          method: 'POST',
          json: { incidentId: first.incidentId, patch: { tags: ['before-exit'] }, by: 'x@contoso.com' },
        });
        assert.equal(edit.status, 200);
        p.child.kill('SIGTERM');
        assert.equal(await p.exit, 0);
        const saved = parseDataFile(await fsp.readFile(data, 'utf8'));
        assert.ok(saved.ok);
        assert.deepEqual(saved.incidents.find(i => i.incidentId === first.incidentId)?.tags, ['before-exit']);
      } finally {
        p.child.kill('SIGKILL');
      }
    });

    it('a port in use: one clear line, exit code 1, no stack trace', async () => {
      const blocker = net.createServer();
      await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as net.AddressInfo).port;
      try {
        const p = run(['--port', String(port), '--data', path.join(dir, 'busy.json')]);
        assert.equal(await p.exit, 1);
        assert.equal(p.err().trim(), `mock-server: Port ${port} on 127.0.0.1 is already in use`);
        assert.doesNotMatch(p.err(), /\n\s+at /);
      } finally {
        await new Promise(resolve => blocker.close(resolve));
      }
    });

    it('a bad option: exit code 1 and the reason', async () => {
      const p = run(['--frobnicate']);
      assert.equal(await p.exit, 1);
      assert.match(p.err(), /Unknown option '--frobnicate'/);
      const h = run(['--help']);
      assert.equal(await h.exit, 0);
      assert.match(h.out(), /--require-auth/);
      assert.match(h.out(), /--control/);
      assert.match(h.out(), /--key-file F/);
      assert.doesNotMatch(h.out(), /--client-secret S/);
    });

    it('without --key: a fresh random key each start; without --control: no control routes', async () => {
      const started: { url: string; key: string }[] = [];
      for (let n = 0; n < 2; n++) {
        const p = run(['--port', '0', '--data', path.join(dir, `random-${n}.json`), '--count', '3', '--quiet']);
        try {
          const found = await new Promise<{ url: string; key: string }>((resolve, reject) => {
            p.child.stdout.on('data', () => {
              const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1];
              const key = /^ {2}Key: (\S+)$/m.exec(p.out())?.[1];
              if (url && key) resolve({ url, key });
            });
            void p.exit.then(code => reject(new Error(`exited ${code}: ${p.err()}`)));
          });
          assert.match(found.key, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url');
          assert.match(p.out(), /Control: off/);
          assert.equal((await call(`${found.url}/api/incidents?$top=1`, { key: found.key })).status, 200);
          assert.equal((await call(`${found.url}/__mock/health`, { key: found.key })).status, 404);
          started.push(found);
        } finally {
          p.child.kill('SIGKILL');
          await p.exit;
        }
      }
      assert.notEqual(started[0].key, started[1].key);
    });
  });
});

describe('mock $filter parser', () => {
  interface Row {
    s: string;
    d: string;
    who: string | null;
  }
  const dialect: FilterDialect<Row> = {
    fields: {
      s: { type: 'enum', get: r => r.s, normalize: v => (['A', 'B', 'C'].includes(v) ? v : undefined), values: 'A, B, C' },
      d: { type: 'date', get: r => r.d },
      who: { type: 'string', get: r => r.who, nullable: true, caseInsensitive: true },
    },
    unsupportedField: f => `no ${f}`,
  };
  const rows: Row[] = [
    { s: 'A', d: '2026-01-01T00:00:00Z', who: null },
    { s: 'B', d: '2026-02-01T00:00:00Z', who: 'Bob@x' },
    { s: 'C', d: '2026-03-01T00:00:00Z', who: "o'neil@x" },
  ];
  const run2 = (f: string): string[] => rows.filter(compileFilter(f, dialect)).map(r => r.s);

  it('binds and tighter than or, honours parentheses, escapes quotes', () => {
    assert.deepEqual(run2("s eq 'A' or s eq 'B' and who ne null"), ['A', 'B']);
    assert.deepEqual(run2("(s eq 'A' or s eq 'B') and who ne null"), ['B']);
    assert.deepEqual(run2("who eq 'O''NEIL@X'"), ['C']);
    assert.deepEqual(run2('d gt 2026-01-15T00:00:00Z and d le 2026-03-01T00:00:00Z'), ['B', 'C']);
    assert.deepEqual(run2('d lt 2026-02-01T01:00:00+02:00'), ['A']);
    assert.deepEqual(run2('d lt 2026-02-01T03:00:00+02:00'), ['A', 'B']);
    assert.deepEqual(run2('who eq null'), ['A']);
  });

  it('fails with a FilterError naming the problem', () => {
    for (const [f, pattern] of [
      ["x eq 'A'", /no x/],
      ["s eq 'Z'", /Z/],
      ["s gt 'A'", /gt/],
      ['d ge 2026-01-01', /not a valid date/],
      ["s eq 'A' xor s eq 'B'", /xor/],
      ["s eq 'A", /Unterminated/],
      ['', /empty/],
      ["not s eq 'A'", /not/],
      ["s eq 'A')", /\)/],
      ['s eq A', /quoted/],
    ] as const) {
      assert.throws(
        () => compileFilter(f, dialect),
        (e: unknown) => e instanceof FilterError && pattern.test(e.message),
        f,
      );
    }
  });
});
