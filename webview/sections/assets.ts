/** Impacted assets: every alert's devices and entities, deduplicated and grouped (see ../assets.ts). */
import type { PaneState } from '../../src/shared/protocol';
import type { Alert } from '../../src/model/types';
import { h, key, replaceChildren, val } from '../dom';
import { ASSET_GROUPS, gatherAssets } from '../assets';
import { Section, who } from '../ui';

type AssetSlice = Pick<Alert, 'devices' | 'entities'>[];

export class AssetsSection extends Section<AssetSlice> {
  readonly el = h('div', { id: 'assets' });

  protected slice(s: PaneState): AssetSlice {
    return (s.incident.alerts ?? []).map(a => ({ devices: a.devices, entities: a.entities }));
  }

  protected render(alerts: AssetSlice): void {
    const groups = gatherAssets(alerts);
    if (!groups.size) {
      replaceChildren(this.el, [h('p', { class: 'muted' }, 'No impacted assets reported.')]);
      return;
    }
    replaceChildren(this.el, ASSET_GROUPS.filter(g => groups.has(g.group)).map(({ group, title }) => {
      const list = groups.get(group)!;
      const headingId = `assets-${group}`;
      // Users and mailboxes are identities: account names, UPNs, SIDs and addresses show invisible characters.
      const people = group === 'users' || group === 'mailboxes';
      return h('div', { class: 'asset-group', attrs: { role: 'group', 'aria-labelledby': headingId } },
        h('h3', { id: headingId }, `${title} (${list.length})`),
        h('ul', { class: 'assets' }, ...list.map(a => h('li', { class: 'asset' },
          people ? who(a.label, 'asset-label') : val(a.label, 'asset-label'),
          group === 'other' ? h('span', { class: 'asset-type' }, ' ', val(a.type)) : null,
          a.alerts > 1 ? h('span', { class: 'muted' }, ` · in ${a.alerts} alerts`) : null,
          a.details.length
            ? h('div', { class: 'asset-details' }, ...a.details.map(([k, v]) => h('span', { class: 'detail' }, key(k), ': ', people ? who(v) : val(v))))
            : null))));
    }));
  }
}
