#!/usr/bin/env node
// `npm run bench` (issue #6): builds the production bundles, then measures sizes, the queue build, the
// store's heap, the requests per action (against the mock's request log) and, in a real VS Code
// extension host (code-server), activation and the management pane. Prints a table (figure, baseline
// or ratio, target, pass/miss) and writes it as JSON to bench-results.json. Timings are medians.
// Env: BENCH_HOST_RUNS (fresh workbench windows, default 3), BENCH_QUEUE_RUNS (default 15),
// BENCH_SKIP_HOST=1 (no code-server part), BENCH_SKIP_PANE_RENDER=1 (no Chromium render times).
// `--only=sizes,host,...` runs only those parts (sizes, queue, heap, requests, writes, tree, sla, agent, pane, hunt, host);
// with `--only`, the code-server part measures activation and the first list only (no panes).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { spawnSync } = require('child_process');
const { performance } = require('perf_hooks');

const ROOT = path.resolve(__dirname, '..');
const lib = require('./host/lib');
const { benchHost } = require('./bench/host');
const { benchPaneRender } = require('./bench/pane-render');
const { benchHuntRender } = require('./bench/hunt-render');

// Fresh code-server hosts for the activation rows: activate() takes a few ms, and one host slowed by the
// machine (3.9 to 16 ms were seen in one run of 7) moves a median of 3; a median of 7 does not follow it.
const HOST_RUNS = Number(process.env.BENCH_HOST_RUNS || 7);
const QUEUE_RUNS = Number(process.env.BENCH_QUEUE_RUNS || 15);
const KB = 1024;
const ONLY = (process.argv.find(a => a.startsWith('--only=')) || '').slice('--only='.length).split(',').filter(Boolean);
/** Whether a part of the bench runs (all of them without `--only`). */
const part = name => !ONLY.length || ONLY.includes(name);

const log = m => process.stderr.write(`[bench] ${m}\n`);
const median = xs => {
  const s = xs.filter(x => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status}:\n${(r.stdout || '') + (r.stderr || '')}`.trim());
  return r.stdout;
}

/** Runs a mode of test/bench/node.ts (bundled) in a child process and returns its BENCH_RESULT. */
function nodeBench(bundle, args, nodeArgs = []) {
  // The tree part runs the real tree provider: a stand-in for the few `vscode` members it touches.
  const out = run(process.execPath, [...nodeArgs, '-r', path.join(__dirname, 'bench/vscode-stub.js'), bundle, ...args]);
  const line = out.split('\n').find(l => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`no result from ${args.join(' ')}:\n${out}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

const rows = [];
/** One table row. `ok` is true/false for a target, undefined for information only. */
function row(section, figure, value, { baseline = '', target = '', ok } = {}) {
  rows.push({ section, figure, value, baseline, target, result: ok === undefined ? 'info' : ok ? 'pass' : 'MISS' });
}
const ms = x => (Number.isFinite(x) ? (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`) : 'n/a');
const kb = b => `${(b / KB).toFixed(1)} KB`;
const ratio = x => `${x.toFixed(x < 0.1 ? 3 : 2)}x`;

async function main() {
  const t0 = performance.now();
  const results = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAvgAtStart: os.loadavg() };

  // ---- build ------------------------------------------------------------------------------------
  log('production build (node esbuild.js --production)');
  const tb = performance.now();
  run(process.execPath, ['esbuild.js', '--production']);
  results.buildMs = performance.now() - tb;

  // ---- sizes ------------------------------------------------------------------------------------
  if (part('sizes')) await sizesPart(results);
  if (['queue', 'heap', 'requests', 'writes', 'tree', 'sla', 'agent'].some(part)) await nodePart(results);
  if (part('pane')) await panePart(results);
  if (part('hunt')) await huntPart(results);
  if (part('host')) await hostPart(results);

  results.totalMs = performance.now() - t0;
  results.table = rows;
  fs.writeFileSync(path.join(ROOT, ONLY.length ? 'bench-results.partial.json' : 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');
  printTable();
  console.log(
    `\nbench: ${(results.totalMs / 1000).toFixed(0)} s on ${results.cpus} CPUs (load average ${results.loadAvgAtStart[0].toFixed(1)} at start), Node ${process.version}; wrote ${ONLY.length ? 'bench-results.partial.json' : 'bench-results.json'}`,
  );
  const missed = rows.filter(r => r.result === 'MISS').length;
  const met = rows.filter(r => r.result === 'pass').length;
  console.log(`bench: ${met} targets met, ${missed} missed${missed ? " (see the README's performance section for why)" : ''}`);
  // A benchmark reports; it does not gate. `--strict` makes a missed target fail the run.
  return missed && process.argv.includes('--strict') ? 1 : 0;
}

async function sizesPart(results) {
  log('sizes and VSIX');
  const size = f => {
    const buf = fs.readFileSync(path.join(ROOT, f));
    return { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
  };
  const sizes = {};
  for (const f of ['dist/extension.js', 'dist/axios.js', 'dist/mock.js', 'dist/webview.js']) {
    if (fs.existsSync(path.join(ROOT, f))) sizes[f] = size(f);
  }
  // The same entry as before #6 (no trimming, no lazy chunks), built in memory: the baseline.
  const esbuild = require('esbuild');
  const untrimmed = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/extension.ts'],
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    conditions: ['node'],
    legalComments: 'none',
    write: false,
    outfile: 'untrimmed.js',
    logLevel: 'silent',
  });
  sizes.untrimmedExtension = { raw: untrimmed.outputFiles[0].contents.length, gzip: zlib.gzipSync(untrimmed.outputFiles[0].contents, { level: 9 }).length };
  // What loading the bundle costs the extension host (module evaluation, before activate()): a fresh
  // Node per sample, `vscode` stubbed (nothing touches it at load time), before vs after.
  const untrimmedFile = path.join(lib.mkdirp(path.join(lib.SCRATCH, 'bench-node')), 'untrimmed-extension.js');
  fs.writeFileSync(untrimmedFile, untrimmed.outputFiles[0].contents);
  const requireMs = file => {
    const probe = `const M=require('module');const r=M._resolveFilename;M._resolveFilename=function(q,...a){return q==='vscode'?'vscode':r.call(this,q,...a)};
require.cache.vscode={id:'vscode',filename:'vscode',loaded:true,exports:new Proxy({},{get:()=>function(){}})};
const {performance}=require('perf_hooks');const t=performance.now();require(${JSON.stringify(file)});console.log(performance.now()-t);`;
    return median(Array.from({ length: 7 }, () => Number(run(process.execPath, ['-e', probe]).trim())));
  };
  sizes.requireMs = { before: requireMs(untrimmedFile), after: requireMs(path.join(ROOT, 'dist/extension.js')) };
  const tmpVsix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'di-bench-')), 'bench.vsix');
  try {
    lib.packageVsix({ out: tmpVsix });
    sizes.vsix = { raw: fs.statSync(tmpVsix).size };
    const listing = run('unzip', ['-Z1', tmpVsix])
      .split('\n')
      .filter(Boolean)
      .filter(n => n.startsWith('extension/'));
    sizes.vsixFiles = listing;
  } finally {
    fs.rmSync(path.dirname(tmpVsix), { recursive: true, force: true });
  }
  results.sizes = sizes;
  const ext = sizes['dist/extension.js'];
  row('Sizes', 'dist/extension.js', `${kb(ext.raw)} (gzip ${kb(ext.gzip)})`, {
    baseline: `before: ${kb(sizes.untrimmedExtension.raw)} (${ratio(ext.raw / sizes.untrimmedExtension.raw)})`,
    target: '≤ 100 KB',
    ok: ext.raw <= 100 * KB,
  });
  // What loading dist/extension.js loads before activate(): the entry and the split chunks it requires (see esbuild.js).
  const chunks = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/extension.chunks.json'), 'utf8'));
  const total = files => files.reduce((n, f) => n + fs.statSync(path.join(ROOT, 'dist', f)).size, 0);
  sizes.eager = { files: chunks.eager, raw: total(chunks.eager) };
  sizes.lazyChunks = { files: chunks.lazy, raw: total(chunks.lazy) };
  row('Sizes', `eager: dist/extension.js + the ${chunks.eager.length - 1} split chunks it requires before activate()`, kb(sizes.eager.raw), {
    target: '≤ 100 KB',
    ok: sizes.eager.raw <= 100 * KB,
  });
  row(
    'Sizes',
    `lazy split chunks (${chunks.lazy.length} files: the view's provider, commands, panes, door, backend clients, hunting, agent)`,
    kb(sizes.lazyChunks.raw),
  );
  row('Sizes', 'require(dist/extension.js) in Node (load before activate)', ms(sizes.requireMs.after), {
    baseline: `before: ${ms(sizes.requireMs.before)} (${ratio(sizes.requireMs.after / sizes.requireMs.before)})`,
  });
  if (sizes['dist/axios.js'])
    row('Sizes', 'dist/axios.js (lazy, first request)', `${kb(sizes['dist/axios.js'].raw)} (gzip ${kb(sizes['dist/axios.js'].gzip)})`);
  if (sizes['dist/mock.js']) row('Sizes', 'dist/mock.js (lazy, mock mode only)', `${kb(sizes['dist/mock.js'].raw)} (gzip ${kb(sizes['dist/mock.js'].gzip)})`);
  const web = sizes['dist/webview.js'];
  row('Sizes', 'dist/webview.js', `${kb(web.raw)} (gzip ${kb(web.gzip)})`, { target: '≤ 30 KB gzip', ok: web.gzip <= 30 * KB });
  // The KQL language service (issue 17: the VSIX may grow by at most 3 MB for it) is counted apart.
  const kqlFiles = ['dist/kql.js', 'dist/kusto/bridge.min.js', 'dist/kusto/Kusto.Language.Bridge.min.js'].filter(f => fs.existsSync(path.join(ROOT, f)));
  const kqlZipped = kqlFiles.reduce((n, f) => n + zlib.deflateRawSync(fs.readFileSync(path.join(ROOT, f)), { level: 9 }).length, 0);
  row('Sizes', 'VSIX', `${kb(sizes.vsix.raw)} (${sizes.vsixFiles.length} files)`, {
    baseline: `without the KQL language service: ${kb(sizes.vsix.raw - kqlZipped)}`,
    target: '≤ 1 MB',
    ok: sizes.vsix.raw <= 1024 * KB,
  });
  row('Sizes', 'VSIX: the KQL language service (dist/kql.js, dist/kusto/, compressed)', kb(kqlZipped), { target: '≤ 3 MB', ok: kqlZipped <= 3 * 1024 * KB });
  const allowed =
    /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE(\.txt)?|dist\/(extension|webview|axios|mock|huntRenderer|kql)\.js|dist\/kusto\/(bridge|Kusto\.Language\.Bridge)\.min\.js|dist\/[\w.-]+-[A-Z0-9]{8}\.js|media\/.+)$/i;
  const extra = sizes.vsixFiles.filter(f => !allowed.test(f));
  row('Sizes', 'VSIX contents', extra.length ? `unexpected: ${extra.join(', ')}` : 'allow-list only', { target: 'allow-list', ok: extra.length === 0 });
}

async function nodePart(results) {
  // ---- plain Node: queue, heap, requests -----------------------------------------------------------
  const esbuild = require('esbuild');
  const scratch = lib.mkdirp(path.join(lib.SCRATCH, 'bench-node'));
  const bundle = path.join(scratch, 'node.js');
  const { trimAxiosPlugin } = require(path.join(ROOT, 'esbuild.js'));
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['test/bench/node.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outfile: bundle,
    mainFields: ['module', 'main'],
    conditions: ['node'],
    logLevel: 'warning',
    plugins: [trimAxiosPlugin],
    external: ['vscode'],
  });
  if (part('queue')) queuePart(results, bundle);
  if (part('heap')) heapPart(results, bundle);
  if (part('requests')) requestsPart(results, bundle);
  if (part('writes')) writesPart(results, bundle);
  if (part('tree')) treePart(results, bundle);
  if (part('sla')) slaPart(results, bundle);
  if (part('agent')) agentPart(results, bundle);
}

function queuePart(results, bundle) {
  log(`queue (${QUEUE_RUNS} runs per size)`);
  const queue = nodeBench(bundle, ['queue', String(QUEUE_RUNS)], ['--expose-gc']);
  results.queue = queue;
  for (const n of ['1000', '10000']) {
    const q = queue[n];
    row('Queue', `filter + buildQueue, ${Number(n).toLocaleString('en-US')} incidents (${q.visible} match, ${q.rows} rows)`, ms(q.queueMs), {
      baseline: `JSON.parse ${ms(q.parseMs)} → ${ratio(q.ratio)}`,
      target: '≤ 2x JSON.parse',
      ok: q.ratio <= 2,
    });
  }
  const growth = queue['10000'].queueMs / queue['1000'].queueMs;
  const exponent = Math.log10(growth);
  results.queue.growth = { factor: growth, exponent, parseFactor: queue['10000'].parseMs / queue['1000'].parseMs };
  row('Queue', 'growth 1,000 → 10,000', `${growth.toFixed(1)}x (time ∝ n^${exponent.toFixed(2)})`, {
    baseline: `JSON.parse ${results.queue.growth.parseFactor.toFixed(1)}x`,
    target: 'linear or better (n^≤1.1)',
    ok: exponent <= 1.1,
  });
}

function heapPart(results, bundle) {
  log('heap');
  const heap = nodeBench(bundle, ['heap', '10000'], ['--expose-gc']);
  results.heap = heap;
  row('Queue', 'store heap, 10,000 incidents', `${(heap.heapBytes / KB / KB).toFixed(1)} MB (${(heap.perIncidentBytes / KB).toFixed(2)} KB each)`, {
    baseline: `wire JSON ${(heap.wireBytes / KB / KB).toFixed(1)} MB`,
  });
}

function requestsPart(results, bundle) {
  log('requests');
  const req = nodeBench(bundle, ['requests']);
  results.requests = req;
  const kinds = r =>
    Object.entries(r.byKind)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
  row('Requests', 'refresh, nothing changed (mock)', `${req.refresh.count} (${kinds(req.refresh)})`, {
    baseline: `min ${req.refresh.minimum}`,
    target: '1',
    ok: req.refresh.count === req.refresh.minimum,
  });
  row('Requests', `assign to me, ${req.assignToMe.alerts} alerts to cascade (mock)`, `${req.assignToMe.count} (${kinds(req.assignToMe)})`, {
    baseline: `min ${req.assignToMe.minimum} = GET check + PATCH + ${req.assignToMe.alerts} alerts + re-read`,
    target: '1 write + check + cascade',
    ok: req.assignToMe.count === req.assignToMe.minimum,
  });
  row('Requests', 'bulk comment, 20 incidents (mock)', `${req.bulkComment20.count}, ${req.bulkComment20.status429}×429`, {
    baseline: `min ${req.bulkComment20.minimum} = a GET of the comments before each send + the write`,
    target: '2 per comment, no 429',
    ok: req.bulkComment20.count === req.bulkComment20.minimum && req.bulkComment20.status429 === 0,
  });
  const pace = (key, label, extraOk = () => true) => {
    const p = req[key];
    row(
      'Requests',
      label,
      `${p.count} in ${(p.virtualSpanMs / 1000).toFixed(1)} s virtual (${ms(p.wallMs)} wall), max ${p.maxInAnyMinute}/min, ${p.status429}×429`,
      {
        baseline: `min ${p.minimum}; API limit ${p.apiLimitPerMinute}/min`,
        target: `≤ ${p.limitPerMinute}/min, no 429`,
        ok: p.count === p.minimum && p.maxInAnyMinute <= p.limitPerMinute && p.status429 === 0 && extraOk(p),
      },
    );
  };
  pace('defenderBulkComment20', 'bulk comment, 20 incidents (Defender client, 45/min pacer, fake clock; GET + PATCH each)', p => p.virtualSpanMs < 60_000);
  pace('defenderBulkAssign20', 'bulk assign to me, 20 incidents (Defender: GET check + PATCH each)');
  pace('defenderComment60', '60 comments (Defender client, 45/min pacer, fake clock; GET + PATCH each)', p => p.virtualSpanMs >= 60_000);
}

function writesPart(results, bundle) {
  log('alert writes side by side (mock with latency)');
  const w = nodeBench(bundle, ['writes']);
  results.writes = w;
  const s = x => `${(x / 1000).toFixed(2)} s`;
  const base = `one field: ${s(w.single.ms)}, ${w.single.requests} requests`;
  row(
    'Writes',
    `Assign to me, Graph, ${w.alerts} alerts, ${w.latencyMs} ms per call (mock latency)`,
    `${s(w.assign.ms)}, ${w.assign.requests} requests, ${w.assignAlertsChanged}/${w.alerts} alerts taken`,
    { baseline: `${base}; before: 3.3 s (one alert after another)`, target: '≤ 1.5 s', ok: w.assign.ms <= 1500 && w.assignAlertsChanged === w.alerts },
  );
  row(
    'Writes',
    `Resolve, Graph, ${w.alerts} alerts, ${w.latencyMs} ms per call (mock latency)`,
    `${s(w.resolve.ms)}, ${w.resolve.requests} requests, ${w.resolveAlertsChanged}/${w.alerts} alerts resolved`,
    { baseline: `${base}; before: 3.3 s`, target: '≤ 1.5 s', ok: w.resolve.ms <= 1500 && w.resolveAlertsChanged === w.alerts },
  );
}

function treePart(results, bundle) {
  log('targeted tree updates');
  const t = nodeBench(bundle, ['tree', String(QUEUE_RUNS)], ['--expose-gc']);
  results.tree = t;
  const N = t.incidents.toLocaleString('en-US');
  for (const c of t.cases) {
    row('Tree', `one incident changed in a ${N}-incident queue, ${c.label}`, `${c.events} tree event (${c.what}), ${ms(c.ms)}`, {
      baseline: `then the repaint VS Code asks for: ${ms(c.repaintMs)}; full rebuild: ${ms(c.rebuildMs)}`,
      target: c.target ? '1 event for the row + its group, < 2 ms' : '',
      ok: c.target ? c.ok : undefined,
    });
  }
  const p = t.page;
  row(
    'Tree',
    `background page of ${p.added} incidents added to ${p.shownBefore} rows shown`,
    `${p.events} tree events, ${p.rebuiltRows} rows rebuilt, ${ms(p.ms)}`,
    { target: '0 shown rows rebuilt', ok: p.rebuiltRows === 0 },
  );
}

/** Agent tools (#18): a read tool answers a loaded 2,000-incident queue from memory. */
function agentPart(results, bundle) {
  log('agent tools');
  const agent = nodeBench(bundle, ['agent', '21']);
  results.agent = agent;
  for (const [key, label] of [
    ['list', 'list incidents, whole queue (50 shown)'],
    ['listOverdue', 'list incidents, overdue by time left (200 shown)'],
    ['get', 'get one incident in full'],
  ]) {
    const a = agent[key];
    row('Agent', `${label}, ${agent.loaded.toLocaleString('en-US')} loaded (median of 21)`, `${ms(a.ms)}, ${a.requests} requests`, {
      baseline: `max ${ms(a.max)}; ${a.chars.toLocaleString('en-US')} characters`,
      target: '≤ 50 ms, 0 requests',
      ok: a.ms <= 50 && a.requests === 0,
    });
  }
}

function slaPart(results, bundle) {
  log('sla clocks');
  const sla = nodeBench(bundle, ['sla', String(QUEUE_RUNS)], ['--expose-gc']);
  results.sla = sla;
  for (const n of ['1000', '10000']) {
    const s = sla[n];
    const N = Number(n).toLocaleString('en-US');
    row('SLA', `computeSlaStates, ${N} incidents (new Map)`, ms(s.computeMs), {
      baseline: `new Map of ${N}: ${ms(s.newMapMs)}`,
      target: `≤ ${ms(s.targetMs)}`,
      ok: s.computeOk,
    });
    row('SLA', `computeSlaStates, ${N} incidents (reused Map)`, ms(s.computeReuseMs), { target: `≤ ${ms(s.targetMs)}`, ok: s.computeReuseOk });
    row('SLA', `nextTransition, ${N} incidents`, ms(s.nextTransitionMs), { target: `≤ ${ms(s.targetMs)}`, ok: s.nextTransitionOk });
  }
  log('sla clock tick');
  const tick = nodeBench(bundle, ['slaTick', String(QUEUE_RUNS)], ['--expose-gc']);
  results.slaTick = tick;
  const T = `${tick.incidents.toLocaleString('en-US')} incidents, ${tick.queued.toLocaleString('en-US')} queued, ${tick.shown} rows shown`;
  row('SLA', `clock tick, nothing changes (${T}; +${(tick.quiet.atMs / 1000).toFixed(0)} s)`, `${ms(tick.quiet.ms)}, ${tick.quiet.events} tree events`, {
    target: '0 events',
    ok: tick.quiet.events === 0 && !tick.quiet.stateChanged,
  });
  row(
    'SLA',
    `clock tick at the next state change (+${(tick.transition.atMs / 1000).toFixed(0)} s)`,
    `${ms(tick.transition.ms)}, ${tick.transition.events} tree events`,
    { baseline: 'events = shown rows whose state or SLA text changed', ok: tick.transition.stateChanged },
  );
  row('SLA', 'clock tick five minutes on', `${ms(tick.fiveMinutes.ms)}, ${tick.fiveMinutes.events} tree events (of ${tick.shown} rows)`, {
    baseline: 'events = shown rows whose state or SLA text changed',
    target: `< ${tick.shown} (never the whole tree)`,
    ok: tick.fiveMinutes.events < tick.shown,
  });
}

async function panePart(results) {
  // ---- the pane's render times: the real pane in Chromium (webview test harness) ------------------------
  if (process.env.BENCH_SKIP_PANE_RENDER) {
    row('Pane', 'render times (Chromium)', 'skipped (BENCH_SKIP_PANE_RENDER)');
  } else {
    try {
      const pr = await benchPaneRender({ log });
      results.paneRender = pr;
      const n = f => `${f.length} samples`;
      const t = pr.typical;
      const hb = pr.hostile1MB;
      row('Pane', `render: preview switch, typical incident (state message → DOM updated, as the pane reports it; ${n(t.samples.switchMs)})`, ms(t.switchMs), {
        baseline: `first paint ${ms(t.initialMs)}`,
        target: '≤ 16 ms',
        ok: t.switchMs <= 16,
      });
      row('Pane', `render: one action's update, typical incident (${n(t.samples.actionMs)})`, ms(t.actionMs), { target: '≤ 8 ms', ok: t.actionMs <= 8 });
      row('Pane', `render: preview switch, 1 MB hostile incident (${n(hb.samples.switchMs)})`, ms(hb.switchMs), { target: '≤ 100 ms', ok: hb.switchMs <= 100 });
      row('Pane', `render: one action's update, 1 MB hostile incident (${n(hb.samples.actionMs)})`, ms(hb.actionMs), {
        target: '≤ 100 ms',
        ok: hb.actionMs <= 100,
      });
      const ev = pr.evidence500;
      row('Pane', `render: preview switch to an incident of 500 evidence entities (Evidence section included; ${n(ev.samples)})`, ms(ev.switchMs), {
        target: '≤ 16 ms',
        ok: ev.switchMs <= 16,
      });
    } catch (e) {
      row('Pane', 'render times (Chromium)', `failed: ${e.message.split('\n')[0]}`, { ok: false });
    }
  }
}

async function huntPart(results) {
  // ---- hunting result renderer (Chromium) --------------------------------------------------------------
  try {
    const hr = await benchHuntRender({ log });
    results.huntRender = hr;
    const first = median(hr.firstPaintMs);
    const step = median(hr.scrollStepMs);
    const worst = Math.max(...hr.scrollStepMs);
    row('Hunting', `render: 10,000-row result, first paint (${hr.firstPaintMs.length} pages)`, ms(first), { target: '≤ 100 ms', ok: first <= 100 });
    const dropped = hr.scrollStepMs.filter(x => x > 25).length;
    row(
      'Hunting',
      `render: 10,000-row result, frame length while scrolling (${hr.scrollStepMs.length} steps of 200 rows; worst ${ms(worst)}, ${dropped} over 25 ms)`,
      ms(step),
      { target: '≤ 17 ms (60 Hz)', ok: step <= 17 },
    );
  } catch (e) {
    row('Hunting', 'render times (Chromium)', `failed: ${e.message.split('\n')[0]}`, { ok: false });
  }
}

async function hostPart(results) {
  // ---- real extension host --------------------------------------------------------------------------
  if (process.env.BENCH_SKIP_HOST) {
    row('Activation', 'code-server part', 'skipped (BENCH_SKIP_HOST)');
  } else {
    log(`code-server: ${HOST_RUNS} fresh windows (each a fresh extension host)`);
    const host = await benchHost({ runs: HOST_RUNS, log, panes: !ONLY.length });
    results.host = host;
    const rs = host.runs;
    if (!rs.length) {
      row('Activation', 'code-server runs', `none succeeded: ${host.errors.join('; ')}`, { ok: false });
    } else {
      const act = median(rs.map(r => r.activationMs));
      const sockets = rs.flatMap(r => r.socketsInActivate);
      const acts = rs.map(r => r.activationMs).sort((a, b) => a - b);
      row('Activation', `activate() (extension's activationMs, median of ${rs.length} hosts)`, ms(act), {
        baseline: `min ${ms(acts[0])}, max ${ms(acts[acts.length - 1])}`,
        target: '≤ 5 ms',
        ok: act <= 5,
      });
      row('Activation', 'sockets opened inside activate()', String(sockets.length), { target: '0 (no network)', ok: sockets.length === 0 });
      row('Activation', 'first command → extension active', ms(median(rs.map(r => r.commandToActiveMs))), {
        baseline: 'VS Code loads dist/extension.js + activate()',
      });
      row('Activation', 'first command → queue loaded (mock started, 1 list)', ms(median(rs.map(r => r.commandToLoadedMs))));
      row('Activation', 'first command → view populated', ms(median(rs.map(r => r.commandToPopulatedMs))), {
        baseline: rs.some(r => r.wasActive) ? 'WARNING: some hosts were already active' : 'cold host each run',
      });
      if (host.errors.length) row('Activation', 'failed host runs', host.errors.join('; '), { ok: false });
      if (rs.some(r => !r.firstPane)) return;
      // VS Code's part: from the HTML being set to the browser fetching the pane's script.
      const split = (p, browser) => {
        const s = browser.scripts.find(x => x.t >= p.wallRendered);
        return s ? { vscode: s.t - p.wallRendered, script: p.wallInteractive - s.t } : undefined;
      };
      const first = rs.map(r => r.firstPane);
      const firstSplit = rs.map(r => split(r.firstPane, r.browser)).filter(Boolean);
      const sw = rs.flatMap(r => r.switches);
      const np = rs.flatMap(r => r.newPanes);
      const npSplit = rs.flatMap(r => r.newPanes.map(p => split(p, r.browser))).filter(Boolean);
      const open = median(first.map(p => p.interactiveMs));
      row('Pane', 'open command → interactive (first pane)', ms(open), { target: '≤ 1 s', ok: open <= 1000 });
      row('Pane', '  of which: extension (command → HTML set)', ms(median(first.map(p => p.renderedMs))));
      row('Pane', '  of which: VS Code (HTML set → pane script requested)', ms(median(firstSplit.map(x => x.vscode))));
      row('Pane', '  of which: pane script (requested → ready → first state)', ms(median(firstSplit.map(x => x.script))));
      const swm = median(sw.map(p => p.interactiveMs));
      row('Pane', `switch: click another incident, preview pane → new state posted (${sw.length} samples; the webview's re-render is not included)`, ms(swm), {
        target: '≤ 150 ms',
        ok: swm <= 150,
      });
      const npm = median(np.map(p => p.interactiveMs));
      row('Pane', `open another incident in a new (pinned) pane → interactive (${np.length} samples)`, ms(npm), { baseline: 'a new webview each time' });
      row('Pane', '  of which: VS Code (HTML set → pane script requested)', ms(median(npSplit.map(x => x.vscode))));
      row('Pane', '  of which: pane script (requested → ready → first state)', ms(median(npSplit.map(x => x.script))));
      row('Pane', 'focus an already open pane', ms(median(rs.map(r => r.refocusMs))));
    }
  }
}

function printTable() {
  const cols = ['section', 'figure', 'value', 'baseline', 'target', 'result'];
  const head = { section: 'Section', figure: 'Figure', value: 'Value', baseline: 'Baseline / ratio', target: 'Target', result: 'Result' };
  const all = [head, ...rows];
  const width = c => Math.min(c === 'value' || c === 'baseline' || c === 'figure' ? 70 : 30, Math.max(...all.map(r => String(r[c]).length)));
  const w = Object.fromEntries(cols.map(c => [c, width(c)]));
  const fmt = r =>
    cols
      .map(c => {
        const s = String(r[c]);
        return s.length > w[c] ? s : s.padEnd(w[c]);
      })
      .join(' | ');
  console.log(fmt(head));
  console.log(cols.map(c => '-'.repeat(w[c])).join('-|-'));
  for (const r of rows) console.log(fmt(r));
}

main().then(
  code => process.exit(code),
  e => {
    console.error(`bench: ${e.stack || e.message}`);
    process.exit(2);
  },
);
