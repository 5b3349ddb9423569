/**
 * What the analyzer keeps of the rows it read: sums, never rows. Cost per month, provider, region, category,
 * service and currency; daily cost per provider and currency (and per category) for the forecast; bad and
 * unmapped rows counted, with the first bad rows' locations kept for the report. Its size grows with the number
 * of distinct services and days, not with the number of rows. Currencies are part of every key: amounts in
 * different currencies are never added together.
 */
import type { ServiceCategory } from './focus/columns';
import type { BadRowReason, NormalizedRow } from './focus/normalize';
import { dayNumber, monthOfDay } from './focus/values';

export interface CostLine {
  readonly month: string;
  readonly provider: string;
  readonly region: string;
  readonly category: ServiceCategory;
  readonly service: string;
  readonly currency: string;
  cost: number;
  rows: number;
}

/** Daily cost of one series: a provider and currency, optionally one category. */
export interface DailySeriesKey {
  readonly provider: string;
  readonly currency: string;
  /** Undefined for the provider's total. */
  readonly category?: ServiceCategory;
}

export interface BadRowSample {
  readonly provider: string;
  readonly reason: BadRowReason;
  /** `location:line` (text files) or `location#row` (Parquet, query results). */
  readonly location: string;
  readonly detail: string;
}

/** How many bad rows keep their location in the report (all are counted). */
export const BAD_ROW_SAMPLES = 100;

const SEPARATOR = '\u0000';

export class CostLedger {
  readonly lines = new Map<string, CostLine>();
  /** Series key → day number → cost. */
  readonly daily = new Map<string, Map<number, number>>();
  readonly badRows = new Map<string, number>();
  readonly badRowSamples: BadRowSample[] = [];
  /** `provider SEP service` → rows whose service the category mapping does not list. */
  readonly unmapped = new Map<string, number>();
  rows = 0;
  /** Rows read whose charge is before the read window (an export file spanning older months). */
  rowsBeforeWindow = 0;

  /** Day number → `YYYY-MM`: a handful of days, millions of rows. */
  private readonly months = new Map<number, string>();

  add(row: NormalizedRow): void {
    this.rows++;
    const day = dayNumber(row.chargePeriodStartMs);
    let month = this.months.get(day);
    if (month === undefined) this.months.set(day, (month = monthOfDay(day)));
    const key = `${month}${SEPARATOR}${row.provider}${SEPARATOR}${row.region}${SEPARATOR}${row.category}${SEPARATOR}${row.service}${SEPARATOR}${row.currency}`;
    const line = this.lines.get(key);
    if (line) {
      line.cost += row.billedCost;
      line.rows++;
    } else {
      this.lines.set(key, { month, provider: row.provider, region: row.region, category: row.category, service: row.service, currency: row.currency, cost: row.billedCost, rows: 1 });
    }
    const total = `${row.provider}${SEPARATOR}${row.currency}${SEPARATOR}`;
    addDaily(this.daily, total, day, row.billedCost);
    addDaily(this.daily, total + row.category, day, row.billedCost);
    if (row.unmapped) increment(this.unmapped, row.provider + SEPARATOR + row.service, 1);
  }

  addBad(sample: BadRowSample): void {
    increment(this.badRows, sample.provider + SEPARATOR + sample.reason, 1);
    if (this.badRowSamples.length < BAD_ROW_SAMPLES) this.badRowSamples.push(sample);
  }

  /** Adds everything `other` holds (a part read to its end) to this ledger. */
  merge(other: CostLedger): void {
    for (const [key, line] of other.lines) {
      const mine = this.lines.get(key);
      if (mine) {
        mine.cost += line.cost;
        mine.rows += line.rows;
      } else {
        this.lines.set(key, { ...line });
      }
    }
    for (const [key, days] of other.daily) for (const [day, cost] of days) addDaily(this.daily, key, day, cost);
    for (const [key, count] of other.badRows) increment(this.badRows, key, count);
    for (const sample of other.badRowSamples) if (this.badRowSamples.length < BAD_ROW_SAMPLES) this.badRowSamples.push(sample);
    for (const [key, count] of other.unmapped) increment(this.unmapped, key, count);
    this.rows += other.rows;
    this.rowsBeforeWindow += other.rowsBeforeWindow;
  }

  /** Every daily series, with its key. */
  *series(): IterableIterator<[DailySeriesKey, ReadonlyMap<number, number>]> {
    for (const [key, days] of this.daily) yield [parseSeriesKey(key), days];
  }

  /** Bad row counts as `{provider, reason, rows}`. */
  badRowCounts(): { provider: string; reason: BadRowReason; rows: number }[] {
    return [...this.badRows].map(([key, rows]) => {
      const [provider, reason] = key.split(SEPARATOR);
      return { provider, reason: reason as BadRowReason, rows };
    });
  }

  /** Unmapped services as `{provider, service, rows}`. */
  unmappedServices(): { provider: string; service: string; rows: number }[] {
    return [...this.unmapped].map(([key, rows]) => {
      const [provider, service] = key.split(SEPARATOR);
      return { provider, service, rows };
    });
  }
}

function parseSeriesKey(key: string): DailySeriesKey {
  const [provider, currency, category] = key.split(SEPARATOR);
  return category === '' ? { provider, currency } : { provider, currency, category: category as ServiceCategory };
}

function addDaily(daily: Map<string, Map<number, number>>, key: string, day: number, cost: number): void {
  let days = daily.get(key);
  if (!days) daily.set(key, (days = new Map()));
  days.set(day, (days.get(day) ?? 0) + cost);
}

function increment(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}
