/**
 * "Copy Diagnostics": what a support case needs, as plain text, scrubbed of secrets and tokens (and of
 * the tenant when the user hides it). No `vscode` import.
 */
import type { PacerBudget } from '../backend/pacer';
import { windowName } from '../backend/pacer';
import { redactSecrets } from '../shared/text';

export interface DiagnosticsInput {
  extensionVersion: string;
  vscodeVersion: string;
  /** "linux x64", "remote: ssh-remote". */
  platform: string;
  backend: string;
  apiHost: string;
  authMethod: string;
  /** The tenant setting; null when the user chose to hide it. */
  tenant: string | null;
  /** Strings to remove wherever they appear (a hidden tenant, the client secret). */
  scrub: readonly string[];
  /** Recent failures, oldest first: request lines with their request ids, warnings and errors. */
  lastErrors: readonly string[];
  pacing: readonly PacerBudget[];
  /** The last connection check's lines, if one ran this session. */
  lastCheck?: readonly string[];
  at: Date;
}

export function diagnosticsText(d: DiagnosticsInput): string {
  const lines = [
    'Defender Incidents diagnostics',
    `Time: ${d.at.toISOString()}`,
    `Extension: ${d.extensionVersion}`,
    `VS Code: ${d.vscodeVersion} (${d.platform})`,
    `Backend: ${d.backend}`,
    `API host: ${d.apiHost}`,
    `Sign-in: ${d.authMethod}`,
    `Tenant: ${d.tenant === null ? '(hidden)' : d.tenant || '(not set)'}`,
    `Pacing: ${d.pacing.length ? d.pacing.map(b => `${b.remaining} of ${b.limit} requests left this ${windowName(b.windowMs)}`).join('; ') : 'no calls yet'}`,
  ];
  if (d.lastCheck?.length) lines.push('', 'Last connection check:', ...d.lastCheck.map(l => `  ${l}`));
  lines.push('', `Last errors (${d.lastErrors.length}, oldest first; client-request-id / request-id identify each call to Microsoft support):`);
  lines.push(...(d.lastErrors.length ? d.lastErrors.map(l => `  ${l}`) : ['  none this session']));
  let text = redactSecrets(lines.join('\n'), d.scrub);
  // A hidden tenant may be a GUID or a domain: removed case-insensitively wherever it appears.
  for (const s of d.scrub) {
    if (s.length >= 4) text = text.replace(new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '***');
  }
  return `${text}\n`;
}

// What the log keeps (imported by the eager log, so it lives apart from the pacer this file reads).
export { isProblemRequestLine, RecentLines } from './recentLines';
