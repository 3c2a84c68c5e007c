/**
 * The "Defender Incidents" output channel: one line per request (method, path, status, ms, retries)
 * from the HTTP layer, plus notable events. Never a token, a secret or an Authorization header: the
 * HTTP layer composes request lines from method, path and status only, and `redact` guards the rest.
 * Lines carry server text (error messages), so `logLine` keeps each on one line with line breaks,
 * controls and bidi characters shown as `⟦U+000A⟧`: a message cannot forge a log line or reorder one.
 */
import * as vscode from 'vscode';
import { OUTPUT_NAME } from './constants';
import { redactSecrets, showInvisibles } from './shared/text';
import { isProblemRequestLine, RecentLines } from './connect/recentLines';

export function redact(s: string): string {
  return redactSecrets(s);
}

/** Redacted, and one line: line breaks, controls, bidi and other invisible characters shown as `⟦U+XXXX⟧` (tabs kept). */
export function logLine(s: string): string {
  return redact(s).split('\t').map(showInvisibles).join('\t');
}

export class Log implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;
  /** The last failures (failed requests with their ids, warnings, errors), already scrubbed: Copy Diagnostics reads them. */
  readonly problems = new RecentLines(20);

  /** Created on first use so activation stays cheap. */
  private get out(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel(OUTPUT_NAME, { log: true }));
  }

  request(line: string): void {
    const l = logLine(line);
    if (isProblemRequestLine(l)) this.problems.push(l);
    this.out.info(l);
  }
  info(line: string): void {
    this.out.info(logLine(line));
  }
  warn(line: string): void {
    const l = logLine(line);
    this.problems.push(`warning: ${l}`);
    this.out.warn(l);
  }
  error(line: string): void {
    const l = logLine(line);
    this.problems.push(`error: ${l}`);
    this.out.error(l);
  }
  show(): void {
    this.out.show(true);
  }
  dispose(): void {
    this.channel?.dispose();
  }
}
