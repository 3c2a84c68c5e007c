/** Tags: the incident's tags (each removable), its system tags (read-only), and a field to add more. */
import { MAX_TAGS, TAG_MAX_LENGTH, type Drafts, type PaneState } from '../../src/shared/protocol';
import { hasTag, splitTags } from '../../src/model/actions';
import { h, replaceChildren, val } from '../dom';
import type { PaneContext } from '../context';
import type { DraftHolder } from '../store';
import { Section, button, field, group } from '../ui';

interface TagsSlice {
  tags: string[];
  systemTags: string[];
}

export const TAGS_DRAFT_MAX = MAX_TAGS * (TAG_MAX_LENGTH + 2);

export class TagsSection extends Section<TagsSlice> implements DraftHolder {
  private readonly list = h('ul', { id: 'tag-list', class: 'chips', attrs: { 'aria-label': 'Tags' } });
  private readonly input = h('input', {
    id: 'tag-input',
    attrs: { type: 'text', maxlength: String(TAGS_DRAFT_MAX), autocomplete: 'off', placeholder: 'tag, another tag', 'aria-describedby': 'tag-error' },
  });
  private readonly error = h('p', { id: 'tag-error', class: 'field-error', attrs: { 'aria-live': 'polite' } });
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    super();
    this.input.addEventListener('keydown', e => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.add();
      }
    });
    this.input.addEventListener('input', () => ctx.draftsChanged());
    this.el = group(
      'tags-heading',
      'Tags',
      this.list,
      h(
        'div',
        { class: 'row' },
        field('Add tags', this.input, 'tag-input'),
        button('Add', () => this.add(), { id: 'tag-add', secondary: true }),
      ),
      this.error,
    );
  }

  protected slice(s: PaneState): TagsSlice {
    return { tags: s.incident.tags ?? [], systemTags: s.incident.systemTags ?? [] };
  }

  protected render(s: TagsSlice): void {
    replaceChildren(this.list, [
      ...s.tags.map(t =>
        h(
          'li',
          { class: 'chip' },
          val(t),
          h(
            'button',
            {
              class: 'chip-remove',
              attrs: { type: 'button', 'aria-label': `Remove tag ${t}`, title: 'Remove tag', 'data-fk': `tag:${t}` },
              on: { click: () => this.remove(t) },
            },
            '×',
          ),
        ),
      ),
      ...s.systemTags.map(t => h('li', { class: 'chip system', attrs: { title: 'System tag (read-only)' } }, val(t))),
    ]);
    if (!s.tags.length && !s.systemTags.length) this.list.append(h('li', { class: 'muted' }, 'No tags'));
  }

  /** Tags already on the incident come from the server and may break our limits; say so rather than send what the extension would drop. */
  private send(tags: string[], onOk?: () => void): void {
    if (tags.length > MAX_TAGS) {
      this.error.textContent = `An incident can have at most ${MAX_TAGS} tags.`;
      return;
    }
    if (tags.some(t => t.length > TAG_MAX_LENGTH)) {
      this.error.textContent = `A tag can have at most ${TAG_MAX_LENGTH} characters.`;
      return;
    }
    this.error.textContent = '';
    this.ctx.request({ kind: 'setTags', tags }, { onOk });
  }

  private add(): void {
    const s = this.ctx.store.state;
    if (!s) return;
    // One tag normaliser (src/model/actions.ts): trimmed, each once, case-insensitive as the portal.
    const typed = splitTags(this.input.value);
    if (!typed.length) {
      this.error.textContent = 'Type a tag to add.';
      return;
    }
    const current = s.incident.tags ?? [];
    const added = typed.filter(t => !hasTag(current, t));
    if (!added.length) {
      this.error.textContent = 'Those tags are already on the incident.';
      return;
    }
    const sent = this.input.value;
    this.send([...current, ...added], () => {
      if (this.input.value === sent) {
        this.input.value = '';
        this.ctx.draftsChanged();
      }
    });
  }

  private remove(tag: string): void {
    const s = this.ctx.store.state;
    if (!s) return;
    this.send((s.incident.tags ?? []).filter(t => t !== tag));
  }

  collect(d: Drafts): void {
    if (this.input.value) d.tags = this.input.value.slice(0, TAGS_DRAFT_MAX);
  }

  fill(d: Drafts): void {
    if (typeof d.tags === 'string') this.input.value = d.tags.slice(0, TAGS_DRAFT_MAX);
  }

  clear(): void {
    this.input.value = '';
  }
}
