/**
 * Which connection action notices name (see BackendHost.connectionInNotices): set by activate(), read by
 * ./format when a notice is written. Apart from ./format so activation does not load the notices' texts.
 * No `vscode` import.
 */
let connectionShown: () => string = () => '';

/** The extension says where notices should name (see BackendHost.connectionInNotices). */
export function nameConnectionWith(fn: () => string): void {
  connectionShown = fn;
}

/** The connection to name in an action notice, or '' while only one was used since VS Code started. */
export function connectionInNotices(): string {
  return connectionShown();
}
