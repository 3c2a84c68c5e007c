/**
 * KQL editing help from Microsoft's own Kusto language service (`@kusto/language-service-next`, the
 * Kusto.Language parser compiled to JavaScript): diagnostics and completion against the advanced
 * hunting schema of ./kqlSchema. The service is about 5 MB of JavaScript that defines globals
 * (`Bridge`, `System`, `Kusto`), so it runs only in its own process (./kqlServer, started when a hunting
 * file or notebook opens), never in the extension host. No `vscode` import.
 */
import { HUNTING_TABLES } from './kqlSchema';

export interface KqlDiagnostic {
  start: number;
  length: number;
  severity: 'error' | 'warning' | 'suggestion';
  message: string;
  code: string;
}
export interface KqlCompletion {
  label: string;
  kind: string;
  insert: string;
}
export interface KqlCompletions {
  editStart: number;
  editLength: number;
  items: KqlCompletion[];
}

export interface KqlService {
  diagnostics(text: string): KqlDiagnostic[];
  completions(text: string, offset: number): KqlCompletions;
}

/* The bridge's .NET-style objects, typed only as far as used here. */
interface NetList<T> {
  Count: number;
  getItem(i: number): T;
}
interface KustoNs {
  Language: {
    Symbols: {
      TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => unknown };
      DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
    };
    GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
    Editor: { CodeScript: { From$1(text: string, globals: unknown): { Blocks: NetList<Block> } }; CompletionKind: Record<string, unknown> };
  };
}
interface Block {
  Start: number;
  End: number;
  Service: { GetDiagnostics(): NetList<NetDiagnostic>; GetCompletionItems(pos: number): NetCompletions };
}
interface NetDiagnostic {
  Start: number;
  Length: number;
  Severity: string;
  Message: string;
  Code: string;
}
interface NetCompletions {
  EditStart: number;
  EditLength: number;
  Items: NetList<{ DisplayText: string; Kind: number; EditText: string; AfterText: string | null }>;
}

/** Our few completion kinds, from the names of the service's `CompletionKind` enum (read at load time). */
function kindOf(name: string): string {
  const n = name.toLowerCase();
  if (n === 'table' || n === 'materialiedview' || n === 'materializedview' || n === 'storedqueryresult') return 'table';
  if (n === 'column') return 'column';
  if (n.endsWith('function')) return 'function';
  if (n === 'variable' || n === 'parameter') return 'variable';
  if (n === 'keyword' || n.endsWith('prefix') || n.endsWith('suffix') || n.endsWith('infix') || n === 'option') return 'keyword';
  if (n === 'punctuation' || n === 'syntax') return 'operator';
  if (n === 'database' || n === 'cluster') return 'database';
  return 'other';
}

const MAX_COMPLETIONS = 500;

function loadKusto(): KustoNs {
  const g = globalThis as unknown as { Kusto?: KustoNs };
  if (!g.Kusto) {
    // Order matters: the runtime first, then the language. In the build these resolve to dist/kusto/.
    // Plain scripts that set globals, not modules: loaded for their effect, in this order.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@kusto/language-service-next/bridge.min.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  }
  if (!g.Kusto) throw new Error('The Kusto language service did not load.');
  return g.Kusto;
}

export function createKqlService(tables: Readonly<Record<string, string>> = HUNTING_TABLES): KqlService {
  const L = loadKusto().Language;
  const symbols = Object.entries(tables).map(([name, schema]) => new L.Symbols.TableSymbol.$ctor7(name, schema, null));
  const globals = L.GlobalState.Default.WithDatabase(new L.Symbols.DatabaseSymbol.ctor('hunting', symbols));
  const kinds = new Map<number, string>();
  for (const [name, v] of Object.entries(L.Editor.CompletionKind)) if (typeof v === 'number') kinds.set(v, kindOf(name));
  const blocksOf = (text: string) => {
    const blocks = L.Editor.CodeScript.From$1(text, globals).Blocks;
    return Array.from({ length: blocks.Count }, (_, i) => blocks.getItem(i));
  };
  return {
    diagnostics(text) {
      const out: KqlDiagnostic[] = [];
      for (const b of blocksOf(text)) {
        const d = b.Service.GetDiagnostics();
        for (let i = 0; i < d.Count; i++) {
          const x = d.getItem(i);
          const sev = String(x.Severity).toLowerCase();
          out.push({
            start: x.Start,
            length: x.Length,
            severity: sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'suggestion',
            message: x.Message,
            code: x.Code ?? '',
          });
        }
      }
      return out;
    },
    completions(text, offset) {
      const block = blocksOf(text).find(b => offset >= b.Start && offset <= b.End);
      if (!block) return { editStart: offset, editLength: 0, items: [] };
      const r = block.Service.GetCompletionItems(offset);
      const items: KqlCompletion[] = [];
      for (let i = 0; i < Math.min(r.Items.Count, MAX_COMPLETIONS); i++) {
        const it = r.Items.getItem(i);
        items.push({ label: it.DisplayText, kind: kinds.get(it.Kind) ?? 'other', insert: it.EditText + (it.AfterText ?? '') });
      }
      return { editStart: r.EditStart, editLength: r.EditLength, items };
    },
  };
}
