/**
 * KQL diagnostics and completion in `.kql` files and hunting notebook cells, from the Kusto language
 * service running in its own process (dist/kql.js, see ./kqlServer). Nothing here runs at activation:
 * this file is a lazy chunk that ./register loads, and registers, when the first KQL document opens; the
 * process is forked for that document's first check (or the first completion asked for), and stopped
 * with the extension. If it cannot start, editing still works, without the help (logged once).
 */
import * as vscode from 'vscode';
import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { KqlCompletions, KqlDiagnostic } from './kqlService';
import { KQL_LANGUAGE } from './ids';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** The language service process, started on first use and restarted after a crash. */
export class KqlProcess implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly script: string,
    private readonly log: (line: string) => void,
  ) {}

  get started(): boolean {
    return this.child !== undefined;
  }

  request<T>(op: 'diagnostics' | 'completions', text: string, offset?: number): Promise<T> {
    const child = this.ensure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // The first request waits for the service to load (about half a second); later ones take milliseconds.
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('The KQL language service did not answer in time.'));
      }, 15_000);
      this.pending.set(id, { resolve: v => resolve(v as T), reject, timer });
      child.send({ id, op, text, offset });
    });
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(this.script, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    child.stderr?.on('data', (b: Buffer) => this.log(`KQL language service: ${b.toString('utf8').slice(0, 500)}`));
    child.on('message', (m: unknown) => {
      if (typeof m !== 'object' || m === null) return;
      const { id, result, error } = m as { id?: number; result?: unknown; error?: string };
      const p = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (!p) return;
      this.pending.delete(id as number);
      clearTimeout(p.timer);
      if (typeof error === 'string') p.reject(new Error(error));
      else p.resolve(result);
    });
    child.on('exit', code => {
      if (this.child === child) this.child = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`The KQL language service stopped (exit ${code}).`));
        this.pending.delete(id);
      }
    });
    this.child = child;
    this.log(`KQL language service started (pid ${child.pid ?? '?'})`);
    return child;
  }

  dispose(): void {
    const c = this.child;
    this.child = undefined;
    c?.kill();
  }
}

// Read when used, not at module load: nothing here touches the \`vscode\` API before activate().
function severity(s: KqlDiagnostic['severity']): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

function completionKind(kind: string): vscode.CompletionItemKind {
  const K = vscode.CompletionItemKind;
  switch (kind) {
    case 'keyword':
      return K.Keyword;
    case 'table':
      return K.Class;
    case 'column':
      return K.Field;
    case 'function':
      return K.Function;
    case 'variable':
      return K.Variable;
    case 'database':
      return K.Module;
    case 'operator':
      return K.Operator;
    default:
      return K.Text;
  }
}

/** Registers the providers, and checks the KQL documents already open; the process starts with the first check. */
export function registerKqlLanguage(extensionPath: string, log: (line: string) => void): vscode.Disposable[] {
  const proc = new KqlProcess(path.join(extensionPath, 'dist', 'kql.js'), log);
  const diagnostics = vscode.languages.createDiagnosticCollection('kql');
  const timers = new Map<string, NodeJS.Timeout>();
  let failed = false;
  const fail = (e: unknown) => {
    if (!failed) log(`KQL editing help unavailable: ${e instanceof Error ? e.message : String(e)}`);
    failed = true;
  };
  const check = (doc: vscode.TextDocument) => {
    if (doc.languageId !== KQL_LANGUAGE) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        const version = doc.version;
        proc.request<KqlDiagnostic[]>('diagnostics', doc.getText()).then(list => {
          if (doc.isClosed || doc.version !== version) return;
          diagnostics.set(
            doc.uri,
            list.map(x => {
              const range = new vscode.Range(doc.positionAt(x.start), doc.positionAt(x.start + Math.max(0, x.length)));
              const d = new vscode.Diagnostic(range, x.message, severity(x.severity));
              d.source = 'KQL (advanced hunting schema)';
              if (x.code) d.code = x.code;
              return d;
            }),
          );
        }, fail);
      }, 300),
    );
  };
  const completion = vscode.languages.registerCompletionItemProvider(
    { language: KQL_LANGUAGE },
    {
      async provideCompletionItems(doc, position) {
        try {
          const r = await proc.request<KqlCompletions>('completions', doc.getText(), doc.offsetAt(position));
          const range = new vscode.Range(doc.positionAt(r.editStart), doc.positionAt(r.editStart + r.editLength));
          return r.items.map((it, i) => {
            const item = new vscode.CompletionItem(it.label, completionKind(it.kind));
            item.insertText = it.insert;
            item.range = range;
            item.sortText = String(i).padStart(4, '0');
            return item;
          });
        } catch (e) {
          fail(e);
          return [];
        }
      },
    },
    ' ',
    '|',
    '.',
    '(',
  );
  for (const doc of vscode.workspace.textDocuments) check(doc);
  return [
    proc,
    diagnostics,
    completion,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument(e => check(e.document)),
    vscode.workspace.onDidCloseTextDocument(doc => diagnostics.delete(doc.uri)),
    {
      dispose: () => {
        for (const t of timers.values()) clearTimeout(t);
      },
    },
  ];
}
