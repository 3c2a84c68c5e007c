/**
 * The KQL language service's own process (dist/kql.js, forked by the extension when a hunting file or
 * notebook opens): it keeps the 5 MB service and its globals out of the extension host. It answers
 * `{ id, op: 'diagnostics' | 'completions', text, offset? }` messages on the IPC channel with
 * `{ id, result }` or `{ id, error }`, and exits when the channel closes. No `vscode` import.
 */
import { createKqlService, type KqlService } from './kqlService';

interface Request {
  id: number;
  op: 'diagnostics' | 'completions';
  text: string;
  offset?: number;
}

function isRequest(m: unknown): m is Request {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return (
    typeof r.id === 'number' &&
    (r.op === 'diagnostics' || r.op === 'completions') &&
    typeof r.text === 'string' &&
    r.text.length <= 1_000_000 &&
    (r.offset === undefined || typeof r.offset === 'number')
  );
}

let service: KqlService | undefined;

process.on('message', (m: unknown) => {
  if (!isRequest(m)) return;
  try {
    service ??= createKqlService();
    const result = m.op === 'diagnostics' ? service.diagnostics(m.text) : service.completions(m.text, Math.max(0, Math.min(m.text.length, m.offset ?? 0)));
    process.send?.({ id: m.id, result });
  } catch (e) {
    process.send?.({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
process.on('disconnect', () => process.exit(0));
