/**
 * Issue 16, item 9: every table keyed by outside text answers only with its own entries. A saved filter
 * with `"updated": "constructor"` left the queue in a permanent error (`"constructor" in RANGE_MS` is
 * true, and `now - RANGE_MS.constructor` is NaN); backend values such as `constructor`, `__proto__`,
 * `toString` read inherited properties from the enum, evidence and severity tables.
 */
import { strict as assert } from 'assert';
import { describeFilter } from '../../src/store/filter';
import { compileFilter, parseFilter } from '../../src/model/query';
import { determinationsFor, enumLabel, isValidDetermination, toGraphEnum } from '../../src/model/enums';
import { mapEvidence } from '../../src/backend/graph/mapping';
import { diffIncidents } from '../../src/store/history';
import { incident } from '../support/builders';

const PROTO_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('prototype keys (issue 16 item 9)', () => {
  it('a saved filter with "updated": "constructor" (or any prototype key) is named as invalid, not applied', () => {
    for (const k of PROTO_KEYS) {
      for (const field of ['updated', 'time']) {
        const r = parseFilter({ [field]: k });
        assert.equal(typeof r, 'string', `${field}: ${k} is refused`);
        assert.match(r as string, new RegExp(`"${field}" must be`));
      }
    }
    // A filter that got through some other door still compiles and describes without throwing.
    const f = { updated: 'constructor' } as unknown as Parameters<typeof compileFilter>[0];
    const match = compileFilter(f, 'me', Date.now());
    assert.equal(typeof match(incident({ lastUpdateTime: new Date().toISOString() })), 'boolean');
    assert.doesNotThrow(() => describeFilter(f));
  });

  it('enum tables: a backend value that names a prototype property is an unknown value, shown as sent', () => {
    for (const k of PROTO_KEYS) {
      assert.deepEqual(determinationsFor(k), [], k);
      assert.equal(isValidDetermination(k, 'Malware'), false, k);
      assert.equal(toGraphEnum('classification', k), k);
      assert.equal(enumLabel('status', k), k);
    }
  });

  it('evidence mapping: an @odata.type or entity type naming a prototype property maps like any unknown type', () => {
    for (const k of PROTO_KEYS) {
      const e = mapEvidence({ '@odata.type': `#microsoft.graph.security.${k}`, verdict: 'suspicious' });
      assert.equal(typeof (e as { type?: unknown }).type === 'string' || typeof (e as { name?: unknown }).name === 'string', true, k);
      assert.doesNotThrow(() => mapEvidence({ '@odata.type': k }));
    }
  });

  it('the journal names an unknown field by itself, not by an inherited property', () => {
    const a = incident({ id: '1' });
    const b = { ...a, status: 'Resolved' };
    assert.ok(diffIncidents(a, b).every(c => typeof c.field === 'string'));
  });
});
