/**
 * Nested rows (BigQuery, JSON lines, Parquet structs) as flat columns: a nested field is named by its path with
 * dots, `service.description`, as BigQuery names it in SQL; a repeated field (an array: `credits`, `labels`) stays
 * one column of JSON text. Values become text, as in a CSV file, so every format reads the same way.
 */
import type { RawValue } from '../formats/cells';

export type FlatRecord = Map<string, RawValue>;

export function flattenRecord(record: Readonly<Record<string, unknown>>): FlatRecord {
  const flat: FlatRecord = new Map();
  addFields(flat, '', record);
  return flat;
}

function addFields(flat: FlatRecord, prefix: string, record: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix + key;
    if (isPlainObject(value)) addFields(flat, `${name}.`, value);
    else flat.set(name, toText(value));
  }
}

/** A scalar as text. BigQuery's client wraps TIMESTAMP and DATE values in objects with a `value` string. */
function toText(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) || value instanceof Map) return JSON.stringify(value instanceof Map ? Object.fromEntries(value) : value, jsonReplacer);
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return String(value); // NUMERIC (Big.js) and other number-like objects print their decimal
}

/** A value as one JSON text (a Parquet MAP column: FOCUS Tags), never flattened into columns. */
export function jsonText(value: unknown): RawValue {
  return value === null || value === undefined ? null : JSON.stringify(value, jsonReplacer);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isPlainObject(value)) return toText(value);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
