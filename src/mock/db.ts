/**
 * The mock's single store: incidents in the Defender XDR wire shape, read by both API dialects.
 *
 * Persistence is a JSON file written atomically (temp file in the same directory, fsync, rename over
 * the target), so a crash or a kill at any moment leaves either the old or the new file, never half of
 * one. Writes are serialized and coalesced: a burst of changes costs one or two writes, not one each.
 * A file that cannot be used is never overwritten or deleted: it is renamed aside and reported.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { padEvidence } from './evidence';
import { DEFAULT_INCIDENT_COUNT, DEFAULT_SEED, MOCK_TENANT_ID, seedIncidents } from './seed';
import { readSpelling, timeMs, wireTime, type DefenderAlert, type DefenderIncident } from './wire';
import { safeDelay } from '../shared/timer';

export const MOCK_DATA_VERSION = 1;

export interface MockDataFile {
  version: number;
  savedAt: string;
  incidents: DefenderIncident[];
}

export interface RecoveredInfo {
  /** Why the file could not be used: "invalid JSON: ...", "not a mock data file: ...", "version 2 (expected 1)". */
  reason: string;
  /** Where the unusable file now is. */
  movedTo: string;
}

export interface LoadResult {
  /** True when no usable file existed and a fresh data set was seeded. */
  seeded: boolean;
  /** Set when an unusable file was kept aside. */
  recovered?: RecoveredInfo;
}

export interface MockDbOptions {
  /** JSON file to persist to; omitted = memory only. */
  file?: string;
  count?: number;
  seed?: number;
  /** Seed hostile text into some evidence values. */
  hostile?: boolean;
  now?: () => Date;
  /** Tenant id in the seeded portal links. */
  tenantId?: string;
  /** Delay that groups a burst of changes into one write; default 25 ms. */
  writeDelayMs?: number;
  log?: (line: string) => void;
  /** Called once when an unusable file was kept aside, so the host can tell the user. */
  onRecovered?: (reason: string, movedTo: string) => void;
}

export interface ArriveOptions {
  severity?: string;
  name?: string;
  /** Give the incident this many Graph evidence items in all (padded with files, processes, IPs, URLs, users). */
  evidenceCount?: number;
}

export interface ResetOptions {
  count?: number;
  seed?: number;
  hostile?: boolean;
}

export class MockDb {
  private incidents: DefenderIncident[] = [];
  private byId = new Map<number, DefenderIncident>();
  private alertIndex: Map<string, DefenderIncident> | null = null;
  private sorted: DefenderIncident[] | null = null;
  private generation = 0;

  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private lastError: Error | null = null;
  private closed = false;
  /** Number of completed file writes; lets tests see that bursts are coalesced. */
  writeCount = 0;

  private constructor(
    private readonly opts: MockDbOptions,
    readonly loadResult: LoadResult,
  ) {}

  get file(): string | undefined {
    return this.opts.file;
  }

  /** Open (or create) the store. Never throws for an unusable file: it is moved aside and reported. */
  static async open(opts: MockDbOptions = {}): Promise<MockDb> {
    const file = opts.file ? path.resolve(opts.file) : undefined;
    const options = { ...opts, file };
    if (!file) {
      const db = new MockDb(options, { seeded: true });
      db.replaceAll(db.seedNow());
      return db;
    }
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await removeStaleTempFiles(file);
    let text: string | undefined;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text === undefined) {
      const db = new MockDb(options, { seeded: true });
      db.replaceAll(db.seedNow());
      await db.writeNow();
      return db;
    }
    const parsed = parseDataFile(text);
    if (parsed.ok) {
      const db = new MockDb(options, { seeded: false });
      // Files written before reads kept the resource page's spellings may hold the update page's.
      for (const inc of parsed.incidents) {
        inc.determination = readSpelling(inc.determination);
        for (const a of inc.alerts) if (a.determination) a.determination = readSpelling(a.determination);
      }
      db.replaceAll(parsed.incidents);
      return db;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = await moveAside(file, parsed.version !== undefined ? `${file}.v${parsed.version}-${stamp}` : `${file}.corrupt-${stamp}`);
    const recovered: RecoveredInfo = { reason: parsed.reason, movedTo };
    const db = new MockDb(options, { seeded: true, recovered });
    opts.log?.(`Mock data file ${file} could not be used (${parsed.reason}); kept it as ${movedTo} and seeded a fresh data set.`);
    opts.onRecovered?.(recovered.reason, recovered.movedTo);
    db.replaceAll(db.seedNow());
    await db.writeNow();
    return db;
  }

  private seedNow(reset?: ResetOptions): DefenderIncident[] {
    return seedIncidents({
      count: reset?.count ?? this.opts.count ?? DEFAULT_INCIDENT_COUNT,
      seed: reset?.seed ?? this.opts.seed ?? DEFAULT_SEED,
      hostile: reset?.hostile ?? this.opts.hostile,
      now: (this.opts.now ?? (() => new Date()))(),
      tenantId: this.opts.tenantId,
    });
  }

  private replaceAll(incidents: DefenderIncident[]): void {
    this.incidents = incidents;
    this.byId = new Map(incidents.map(i => [i.incidentId, i]));
    this.invalidate();
  }

  private invalidate(): void {
    this.sorted = null;
    this.alertIndex = null;
    this.generation++;
  }

  /** Changes on every mutation; lets callers cache derived views. */
  get version(): number {
    return this.generation;
  }

  get size(): number {
    return this.incidents.length;
  }

  /**
   * All incidents, newest `lastUpdateTime` first (ties: higher id first), the order both APIs page in.
   * The array and its objects are the store's own: read them, change them only through `update`.
   */
  list(): readonly DefenderIncident[] {
    if (!this.sorted) {
      const keyed = this.incidents.map(i => ({ i, t: timeMs(i.lastUpdateTime) }));
      keyed.sort((a, b) => b.t - a.t || b.i.incidentId - a.i.incidentId);
      this.sorted = keyed.map(k => k.i);
    }
    return this.sorted;
  }

  get(id: number): DefenderIncident | undefined {
    return this.byId.get(id);
  }

  findAlert(alertId: string): { incident: DefenderIncident; alert: DefenderAlert } | undefined {
    if (!this.alertIndex) {
      this.alertIndex = new Map();
      for (const inc of this.incidents) for (const a of inc.alerts) this.alertIndex.set(a.alertId, inc);
    }
    const incident = this.alertIndex.get(alertId);
    const alert = incident?.alerts.find(a => a.alertId === alertId);
    return incident && alert ? { incident, alert } : undefined;
  }

  /** Who last changed the incident through the mock (kept with its Graph-only fields, so it is persisted). */
  modifiedBy(id: number): string | null {
    return this.byId.get(id)?.graph?.lastModifiedBy ?? null;
  }

  /** Apply a change and schedule a save. `mutate` must not throw after it has started changing things. */
  update(id: number, by: string | null, mutate: (incident: DefenderIncident) => void): DefenderIncident | undefined {
    const inc = this.byId.get(id);
    if (!inc) return undefined;
    mutate(inc);
    if (by) inc.graph = { ...inc.graph, lastModifiedBy: by };
    this.invalidate();
    this.scheduleSave();
    return inc;
  }

  /**
   * A new incident arrives, as a fresh detection would: Active, unassigned, unclassified, created and
   * updated now, with the next id. Its content comes from the seed generator (a fresh seed each call).
   */
  arrive(opts: ArriveOptions = {}): DefenderIncident {
    const now = (this.opts.now ?? (() => new Date()))();
    const pool = seedIncidents({ count: 40, seed: this.generation * 7919 + this.incidents.length + 1, now, tenantId: this.opts.tenantId });
    const pick = pool.find(i => !opts.severity || i.severity === opts.severity) ?? pool[0];
    const id = Math.max(0, ...this.incidents.map(i => i.incidentId)) + 1;
    const t = wireTime(now);
    // A fresh detection: its alerts' activity ends now, as a new incident's does (the pool's may be months
    // old, outside the 30 days advanced hunting keeps).
    const ends = pick.alerts.map(a => timeMs(a.lastActivity)).filter(Number.isFinite);
    const shift = ends.length ? Math.max(0, now.getTime() - Math.max(...ends)) : 0;
    const moved = (iso: string): string => (shift && Number.isFinite(timeMs(iso)) ? wireTime(timeMs(iso) + shift) : iso);
    const inc: DefenderIncident = {
      ...pick,
      incidentId: id,
      incidentUri: `https://security.microsoft.com/incidents/${id}?tid=${this.opts.tenantId ?? MOCK_TENANT_ID}`,
      status: 'Active',
      assignedTo: null,
      classification: 'Unknown',
      determination: 'NotAvailable',
      ...(opts.name !== undefined ? { incidentName: opts.name } : {}),
      severity: opts.severity ?? pick.severity,
      createdTime: t,
      lastUpdateTime: t,
      comments: [],
      redirectIncidentId: null,
      alerts: pick.alerts.map(a => ({
        ...a,
        incidentId: id,
        status: 'New',
        assignedTo: null,
        classification: null,
        determination: null,
        resolvedTime: null,
        creationTime: moved(a.creationTime),
        lastUpdatedTime: moved(a.lastUpdatedTime),
        firstActivity: moved(a.firstActivity),
        lastActivity: moved(a.lastActivity),
      })),
    };
    if (opts.evidenceCount !== undefined) {
      // Its own alert objects and entity arrays: padding must not reach the pool incident's.
      inc.alerts = inc.alerts.map(a => ({ ...a, entities: [...a.entities] }));
      padEvidence(inc, opts.evidenceCount);
    }
    this.incidents.push(inc);
    this.byId.set(id, inc);
    this.invalidate();
    this.scheduleSave();
    return inc;
  }

  /** Replace the data set with a freshly seeded one, and save it. */
  async reset(opts: ResetOptions = {}): Promise<void> {
    this.replaceAll(this.seedNow(opts));
    this.scheduleSave();
    await this.flush();
  }

  private scheduleSave(): void {
    if (!this.opts.file || this.closed) return;
    this.dirty = true;
    if (this.timer || this.writing) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.drain();
      },
      safeDelay(this.opts.writeDelayMs ?? 25),
    );
  }

  /** Write until nothing is dirty; one write at a time, later changes folded into the next write. */
  private drain(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          try {
            await this.writeNow();
            this.lastError = null;
          } catch (e) {
            this.lastError = e instanceof Error ? e : new Error(String(e));
            // Still unsaved: the next change (or flush) tries again.
            this.dirty = true;
            this.opts.log?.(`Saving mock data to ${this.opts.file} failed: ${this.lastError.message}`);
            break;
          }
        }
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }

  /** Resolve when every change made so far is on disk; reject if the last write failed. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing || this.dirty) {
      if (this.writing) await this.writing;
      else await this.drain();
      if (this.lastError) {
        const e = this.lastError;
        this.lastError = null;
        throw e;
      }
    }
  }

  /** Flush and stop accepting scheduled writes. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private async writeNow(): Promise<void> {
    const file = this.opts.file;
    if (!file) return;
    const data: MockDataFile = { version: MOCK_DATA_VERSION, savedAt: new Date().toISOString(), incidents: this.incidents };
    await atomicWrite(file, JSON.stringify(data));
    this.writeCount++;
  }
}

// ---- file helpers ------------------------------------------------------------------------------

const TEMP_SUFFIX = '.tmp';

function tempName(file: string): string {
  return `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}${TEMP_SUFFIX}`;
}

/** Write `text` to `file` so that readers only ever see the old or the new content. */
export async function atomicWrite(file: string, text: string): Promise<void> {
  const tmp = tempName(file);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, 'w');
    await handle.writeFile(text, 'utf8');
    // Without the fsync a power loss after the rename can leave an empty file under the final name.
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(path.dirname(file));
}

/** Make the rename itself durable. Not possible on Windows, where opening a directory fails: skip. */
async function syncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch {
    // Best effort only.
  } finally {
    await h?.close().catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp files of a writer that was killed mid-write. Only ours (`<file>.<pid>.<rand>.tmp`) and only when
 * that pid is gone, so a second process writing the same file is never disturbed.
 */
async function removeStaleTempFiles(file: string): Promise<void> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  const re = new RegExp(`^${escapeRe(base)}\\.(\\d+)\\.[a-z0-9]+${escapeRe(TEMP_SUFFIX)}$`);
  for (const n of names) {
    const m = re.exec(n);
    if (m && !isAlive(Number(m[1]))) await fsp.unlink(path.join(dir, n)).catch(() => undefined);
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rename without ever replacing an existing file (two recoveries in the same millisecond). */
async function moveAside(file: string, target: string): Promise<string> {
  for (let n = 0; n < 100; n++) {
    const candidate = n === 0 ? target : `${target}-${n}`;
    try {
      await fsp.access(candidate);
      continue;
    } catch {
      await fsp.rename(file, candidate);
      return candidate;
    }
  }
  throw new Error(`Could not move ${file} aside: too many earlier copies.`);
}

type ParseResult = { ok: true; incidents: DefenderIncident[] } | { ok: false; reason: string; version?: number };

/** Shape check of the file: enough that every route can rely on the fields it reads. */
export function parseDataFile(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message}` };
  }
  if (!isRecord(data)) return { ok: false, reason: 'not a mock data file: the top level is not an object' };
  if (typeof data.version !== 'number') return { ok: false, reason: 'not a mock data file: no "version" number' };
  if (data.version !== MOCK_DATA_VERSION) {
    return { ok: false, version: data.version, reason: `data file version ${data.version} (this mock reads version ${MOCK_DATA_VERSION})` };
  }
  if (!Array.isArray(data.incidents)) return { ok: false, reason: 'not a mock data file: "incidents" is not an array' };
  const seen = new Set<number>();
  for (let i = 0; i < data.incidents.length; i++) {
    const problem = incidentProblem(data.incidents[i]);
    if (problem) return { ok: false, reason: `not a mock data file: incidents[${i}] ${problem}` };
    const id = (data.incidents[i] as DefenderIncident).incidentId;
    if (seen.has(id)) return { ok: false, reason: `not a mock data file: incident ${id} appears twice` };
    seen.add(id);
  }
  return { ok: true, incidents: data.incidents as DefenderIncident[] };
}

function incidentProblem(v: unknown): string | undefined {
  if (!isRecord(v)) return 'is not an object';
  if (!Number.isSafeInteger(v.incidentId)) return 'has no numeric incidentId';
  for (const k of ['incidentName', 'createdTime', 'lastUpdateTime', 'status', 'severity', 'classification', 'determination'] as const) {
    if (typeof v[k] !== 'string') return `has no string ${k}`;
  }
  if (Number.isNaN(Date.parse(v.lastUpdateTime as string))) return 'has an invalid lastUpdateTime';
  if (v.assignedTo !== null && typeof v.assignedTo !== 'string') return 'has an invalid assignedTo';
  if (!Array.isArray(v.tags) || !v.tags.every(t => typeof t === 'string')) return 'has invalid tags';
  if (!Array.isArray(v.comments) || !v.comments.every(c => isRecord(c) && typeof c.comment === 'string')) return 'has invalid comments';
  if (!Array.isArray(v.alerts)) return 'has no alerts array';
  for (const a of v.alerts) {
    if (!isRecord(a) || typeof a.alertId !== 'string' || !Array.isArray(a.devices) || !Array.isArray(a.entities)) return 'has an invalid alert';
  }
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
