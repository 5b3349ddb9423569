/**
 * Reading raw export rows by column name. A mapper resolves its column names to indexes once per file (the
 * header), then reads each row by index: the per-row cost is an array access.
 */

/** One raw cell: text as the export has it, or null (a missing value in Parquet or JSON). */
export type RawValue = string | null;
export type RawValues = readonly RawValue[];

/** Reads one column of a row; an empty cell and the text NULL (as in the FOCUS sample) read as absent. */
export type Cell = (values: RawValues) => string | undefined;

const ABSENT: Cell = () => undefined;

/** The index of the first of `names` among `columns` (exact match first, then ignoring case), or -1. */
export function columnIndex(columns: readonly string[], names: readonly string[]): number {
  for (const name of names) {
    const index = columns.indexOf(name);
    if (index >= 0) return index;
  }
  const lower = columns.map((column) => column.toLowerCase());
  for (const name of names) {
    const index = lower.indexOf(name.toLowerCase());
    if (index >= 0) return index;
  }
  return -1;
}

/** A reader of the first of `names` present among `columns`; always absent when none is. */
export function cell(columns: readonly string[], ...names: string[]): Cell {
  const index = columnIndex(columns, names);
  if (index < 0) return ABSENT;
  return (values) => present(values[index]);
}

/** Whether any of `names` is among `columns`. */
export function hasColumn(columns: readonly string[], ...names: string[]): boolean {
  return columnIndex(columns, names) >= 0;
}

export function present(value: RawValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === '' || value === 'NULL') return undefined;
  return value;
}

/** Looks `value` up in `table` ignoring case and spaces; `fallback` when absent or not listed. */
export function lookup(table: Readonly<Record<string, string>>, value: string | undefined, fallback?: string): string | undefined {
  if (value === undefined) return fallback;
  return table[value.replace(/[\s_-]/g, '').toLowerCase()] ?? fallback;
}

/** Adds the text of two decimals (e.g. cost and credits); undefined when `base` is not a number. */
export function sumText(base: string | undefined, addends: readonly number[]): string | undefined {
  if (base === undefined) return undefined;
  if (addends.length === 0) return base;
  const value = Number(base);
  if (!Number.isFinite(value) || base.trim() === '') return base; // left as is: the normalizer reports it
  return String(addends.reduce((total, addend) => total + addend, value));
}

/** Direct copies: FOCUS column ← the first non-empty of the source columns named, in that order. */
export type DirectColumns<Target extends string> = readonly (readonly [Target, readonly string[]])[];

/**
 * Compiles direct copies against a header and returns the copier. Each target keeps the indexes of all its source
 * columns present, in order: a file may have both (an EA file's empty `benefitName` beside its `ReservationName`).
 */
export function directCopier<Target extends string>(columns: readonly string[], copies: DirectColumns<Target>): (values: RawValues, row: Partial<Record<Target, string>>) => void {
  const targets: [Target, number[]][] = [];
  for (const [target, names] of copies) {
    const indexes = names.map((name) => columnIndex(columns, [name])).filter((index, position, all) => index >= 0 && all.indexOf(index) === position);
    if (indexes.length > 0) targets.push([target, indexes]);
  }
  return (values, row) => {
    for (let target = 0; target < targets.length; target++) {
      const indexes = targets[target][1];
      for (let candidate = 0; candidate < indexes.length; candidate++) {
        const value = values[indexes[candidate]];
        if (value !== null && value !== undefined && value !== '' && value !== 'NULL') {
          row[targets[target][0]] = value;
          break;
        }
      }
    }
  };
}
