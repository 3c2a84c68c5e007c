/** What the pane gives its sections: the store, and the few actions that cross sections. */
import type { PaneAction } from '../src/shared/protocol';
import type { RequestOptions } from './client';
import type { PaneStore } from './store';

export type NoticeKind = boolean | 'warning';

export interface PaneContext {
  readonly store: PaneStore;
  /**
   * Sends one action for the incident shown now (the extension refuses it if the pane has switched by the
   * time it arrives). Undefined, with a message, when there is no incident the extension would accept.
   */
  request(action: PaneAction, o?: RequestOptions): number | undefined;
  /** `true`: an error; `'warning'`; `false`: a success that fades. */
  notice(text: string, kind: NoticeKind): void;
  /** Puts text on the clipboard through the extension (refused past COPY_MAX_LENGTH, with a message). */
  copy(text: string): void;
  /** A draft field changed. */
  draftsChanged(): void;
}
