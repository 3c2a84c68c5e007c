/**
 * What the log keeps for Copy Diagnostics: the last failures (failed requests with their ids, warnings,
 * errors) as plain records, already scrubbed by the log. This file is all the log needs at activation;
 * the diagnostics text (./diagnostics, with the pacer's state) is built by the lazy command. No `vscode` import.
 */

/** A request line worth keeping: a failed status or a network error (the HTTP road's own format). */
export function isProblemRequestLine(line: string): boolean {
  return /^(GET|POST|PATCH|DELETE|PUT) \S+ (?!2\d\d )\S+ \d+ms/.test(line);
}

/** A fixed-size list of the most recent lines, each with its time; formatted (`<ISO time> <line>`) when listed. */
export class RecentLines {
  private readonly records: { at: number; line: string }[] = [];
  constructor(private readonly max = 20) {}
  push(line: string, at: Date | number = Date.now()): void {
    this.records.push({ at: +at, line });
    if (this.records.length > this.max) this.records.splice(0, this.records.length - this.max);
  }
  list(): string[] {
    return this.records.map(r => `${new Date(r.at).toISOString()} ${r.line}`);
  }
}
