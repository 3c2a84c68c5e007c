/**
 * Lookups in tables keyed by outside text (backend values, settings, wire fields): only the table's own
 * entries count. `TABLE["constructor"]` is Object's constructor and `"constructor" in TABLE` is true, so a
 * saved filter with `"updated": "constructor"` or a backend value `__proto__` would otherwise read
 * something no table holds. No `vscode` import.
 */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Whether `key` is one of the table's own entries (never an inherited property). */
export function hasOwn(table: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}
