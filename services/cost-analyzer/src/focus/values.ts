/**
 * Parsing the text of export cells: decimals, timestamps in the layouts the clouds write, currency codes. Fast
 * paths matter here: a month of a large account is millions of rows, and most share a handful of timestamps.
 */
import ISO_4217_CODES from '../../data/iso-4217-currencies.json';

const DAY_MS = 86_400_000;

/** A decimal number as exports write it: `12`, `-0.5`, `1.2E-5`; not empty, not `NaN`, not `1,5`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number in `text`, or undefined when it is not a plain decimal. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * `2024-09-01T00:00:00Z`, `2024-09-01T00:00:00.000Z`, `2024-09-01 00:00:00` (UTC, as in the FOCUS sample and
 * BigQuery's JSON `2024-09-01 07:00:00 UTC`), offsets `+05:30`, date-only `2024-09-01`, legacy CUR's
 * `2024-09-01T00:00:00Z`, Azure's `09/01/2024` (month first, as its exports write dates).
 */
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;
const MONTH_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Milliseconds since the epoch, or undefined when `text` is no timestamp this parser knows. */
export function parseTimestamp(text: string): number | undefined {
  const iso = ISO_LIKE.exec(text);
  if (iso) {
    const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = iso;
    const ms = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, fraction ? Math.floor(+`0.${fraction}` * 1000) : 0);
    if (!validDate(ms, +year, +month, +day) || +hour > 23 || +minute > 59 || +second > 60) return undefined;
    return ms - offsetMs(zone);
  }
  const monthFirst = MONTH_FIRST.exec(text);
  if (monthFirst) {
    const [, month, day, year] = monthFirst;
    const ms = Date.UTC(+year, +month - 1, +day);
    return validDate(ms, +year, +month, +day) ? ms : undefined;
  }
  return undefined;
}

function validDate(ms: number, year: number, month: number, day: number): boolean {
  // Date.UTC rolls 2024-02-31 over into March: a date that does not come back unchanged does not exist.
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'UTC') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** ISO 8601 UTC without milliseconds, `2024-09-01T00:00:00Z`: what FOCUS files carry and the validator accepts. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Days since the epoch (UTC) of a timestamp. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `YYYY-MM` of a day number. */
export function monthOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 7);
}

/** The first instant of the month `YYYY-MM`, and of the month after it. */
export function monthBounds(month: string): { readonly startMs: number; readonly endMs: number } {
  const [year, monthNumber] = month.split('-').map(Number);
  return { startMs: Date.UTC(year, monthNumber - 1, 1), endMs: Date.UTC(year, monthNumber, 1) };
}

/** Number of days in the month `YYYY-MM`. */
export function daysInMonth(month: string): number {
  const { startMs, endMs } = monthBounds(month);
  return Math.round((endMs - startMs) / DAY_MS);
}

/** `YYYY-MM` of `month` plus `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber - 1 + delta, 1)).toISOString().slice(0, 7);
}

const CURRENCIES: ReadonlySet<string> = new Set(ISO_4217_CODES);

/** Whether `code` is an active ISO 4217 currency code (list: data/iso-4217-currencies.json). */
export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}
