/**
 * The Check Connection report as a Markdown document (opened in VS Code's Markdown preview: no webview
 * of ours). Backend text is escaped so it stays text; secrets were scrubbed by the check. No `vscode` import.
 */
import type { BackendKind } from '../backend/types';
import { OUTCOME_LABEL, type ProbeLine } from './check';
import { apiFor } from './permissions';

export interface ReportHeader {
  backend: BackendKind;
  /** The API host the settings choose (never a URL with credentials). */
  apiHost: string;
  /** The tenant setting, or a word for none. */
  tenant: string;
  /** "client secret (app 1111...)", "VS Code Microsoft account". */
  signIn: string;
  at: Date;
}

const MARK: Record<string, string> = {
  works: '✅',
  forbidden: '⛔',
  notLicensed: '⛔',
  unreachable: '⚠️',
  wrongTenant: '❌',
  signInFailed: '❌',
  notAvailable: '⚠️',
  throttled: '⏳',
  failed: '❌',
};

/** Text that stays text in a Markdown table cell: no links, HTML, emphasis, code or cell breaks. */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!~&]/g, c => `\\${c}`)
    .slice(0, 600);
}

export function connectionReport(h: ReportHeader, lines: readonly ProbeLine[]): string {
  const api = apiFor(h.backend);
  const out: string[] = [
    '# Defender Incidents: connection check',
    '',
    `- Backend: ${h.backend === 'mock' ? 'the built-in mock (Defender dialect)' : mdText(api.title)}`,
    `- API host: ${mdText(h.apiHost)}`,
    `- Tenant: ${mdText(h.tenant)}`,
    `- Sign-in: ${mdText(h.signIn)}`,
    `- Checked: ${h.at.toISOString()} (one read call per capability; no retry)`,
    '',
    '| Capability | Result | What happened | What to do |',
    '|---|---|---|---|',
  ];
  for (const l of lines) {
    const id = l.requestId ? ` (request-id ${mdText(l.requestId)})` : '';
    out.push(`| ${mdText(l.what)} | ${MARK[l.outcome] ?? ''} ${OUTCOME_LABEL[l.outcome]} | ${mdText(l.words)}${id} | ${l.fix ? mdText(l.fix) : ''} |`);
  }
  out.push(
    '',
    '## Writes (not checked)',
    '',
    'Writes cannot be probed without changing data, so this check did not try them. They need these application permissions (with admin consent):',
    '',
  );
  for (const c of api.capabilities) {
    out.push(`- ${mdText(c.what)}: ${c.write ? `\`${c.write}\` for ${mdText(c.writes)}` : mdText(c.writes)}`);
  }
  out.push(
    '',
    'Signing in with your VS Code Microsoft account uses the delegated permissions of the same names (without `.All` on the Defender API), and on Graph the Microsoft Entra role Security Operator or Security Administrator.',
    '',
  );
  return out.join('\n');
}
