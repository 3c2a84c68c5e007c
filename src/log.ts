/**
 * The "Defender Incidents" output channel: one line per request (method, path, status, ms, retries)
 * from the HTTP layer, plus notable events. Never a token, a secret or an Authorization header: the
 * HTTP layer composes request lines from method, path and status only, and `redact` guards the rest.
 */
import * as vscode from 'vscode';
import { OUTPUT_NAME } from './constants';

const SECRETISH = /(bearer\s+)[\w.~+/=-]+|((?:client_secret|access_token|secret|password|authorization)["']?\s*[:=]\s*["']?)[^\s"'&,]+/gi;

export function redact(s: string): string {
  return s.replace(SECRETISH, (_m, bearer: string | undefined, key: string | undefined) => `${bearer ?? key}[redacted]`);
}

export class Log implements vscode.Disposable {
  private channel: vscode.LogOutputChannel | undefined;

  /** Created on first use so activation stays cheap. */
  private get out(): vscode.LogOutputChannel {
    return (this.channel ??= vscode.window.createOutputChannel(OUTPUT_NAME, { log: true }));
  }

  request(line: string): void { this.out.info(redact(line)); }
  info(line: string): void { this.out.info(redact(line)); }
  warn(line: string): void { this.out.warn(redact(line)); }
  error(line: string): void { this.out.error(redact(line)); }
  show(): void { this.out.show(true); }
  dispose(): void { this.channel?.dispose(); }
}
