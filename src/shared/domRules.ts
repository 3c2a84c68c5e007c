/**
 * What the pane's one DOM builder (webview/dom.ts) refuses, here so plain Node tests pin it. Even with a
 * name written in our code, an attribute that can load, navigate, ping or run something never receives
 * a value, and an element that navigates, loads or submits is never built. No DOM, no `vscode` import.
 */
export const DANGEROUS_ATTR = /^(on|href$|src$|srcdoc$|srcset$|poster$|ping$|background$|action$|formaction$|formtarget$|xlink:href$|style$)/i;

export const DANGEROUS_TAG = /^(form|a|base|iframe|frame|object|embed|script|link|meta)$/i;
