/**
 * One row of an incident's "Comments and history": a comment, a change made here, or a change seen on
 * the server. The history (src/store/history.ts) builds them; the pane and the export show them.
 * Pure; imports nothing.
 */
export type TimelineKind = 'comment' | 'change' | 'observed';
/** 'unconfirmed': a comment a crash left pending; it may or may not have reached the server. */
export type TimelineState = 'pending' | 'confirmed' | 'failed' | 'unconfirmed';

export interface TimelineEntry {
  /** Stable key for the row (comment clientId, journal id...). */
  key: string;
  kind: TimelineKind;
  /** ISO 8601. */
  time: string;
  author: string | null;
  /** Comment text, or a one-line summary of a change. */
  text: string;
  field?: string;
  from?: string | null;
  to?: string | null;
  state: TimelineState;
  error?: string;
  /** For changes: 'editor' when this editor made it, 'server' when it was seen on the server. */
  source?: 'editor' | 'server';
  /** For a change an agent asked for: which, and how the user confirmed it ("VS Code chat (tool ...), confirmed in ..."). */
  via?: string;
}
