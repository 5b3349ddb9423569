/**
 * A billing source over a store of export files: every row file under the prefix is one part. Files of a billing
 * period that ended before the read window are not read: exports put the period in the path, as
 * `BILLING_PERIOD=2024-09` (AWS Data Exports), `20240901-20241001` (CUR, Azure exports) or `year=2024/month=9`.
 * Where a period folder holds one folder per export run (`<period>/<run or assembly id>/<files>`: Azure exports,
 * CUR that creates a new report version), only the latest run is read: each run restates the whole period, and
 * reading them all would count it once per run.
 */
import type { Provider, SourceFormat } from '../config';
import { isExportFile, positionUnitOf, readExportObject } from '../readers/read-export-object';
import type { BillingPart, BillingSource, ReadWindow } from './billing-source';
import type { ExportObject, ExportObjectStore } from './export-object-store';

export class ObjectExportSource implements BillingSource {
  readonly description: string;

  constructor(
    readonly name: string,
    readonly provider: Provider,
    readonly format: SourceFormat,
    private readonly store: ExportObjectStore,
  ) {
    this.description = store.description;
  }

  async *parts(window: ReadWindow): AsyncIterable<BillingPart> {
    const objects: ExportObject[] = [];
    for await (const object of this.store.list()) {
      if (!isExportFile(object.key)) continue;
      const periodEndMs = billingPeriodEndOfKey(object.key);
      if (periodEndMs !== undefined && periodEndMs <= window.fromMs) continue;
      objects.push(object);
    }
    const store = this.store;
    for (const object of latestRuns(objects)) {
      yield { location: object.location, positionUnit: positionUnitOf(object.key), batches: () => readExportObject(store, object) };
    }
  }
}

/** The end (exclusive) of the billing period a key names, or undefined when it names none. */
export function billingPeriodEndOfKey(key: string): number | undefined {
  const dataExports = /BILLING_PERIOD=(\d{4})-(\d{2})/.exec(key);
  if (dataExports) return Date.UTC(Number(dataExports[1]), Number(dataExports[2]), 1);
  const range = /(?:^|\/)(\d{4})(\d{2})(\d{2})-(\d{4})(\d{2})(\d{2})(?:\/|$)/.exec(key);
  if (range) return Date.UTC(Number(range[4]), Number(range[5]) - 1, Number(range[6]) + 1); // Azure's end day is inclusive; CUR's is the next month's first day, one day later does no harm
  const partitions = /year=(\d{4})\/month=(\d{1,2})(?:\/|$)/.exec(key);
  if (partitions) return Date.UTC(Number(partitions[1]), Number(partitions[2]), 1);
  return undefined;
}

const RUN_FOLDER = /^(.*\/\d{8}-\d{8})\/([^/]+)\/[^/]+$/;

/** The objects, less those of a period's older runs (the run whose newest file is newest wins), in key order. */
export function latestRuns(objects: readonly ExportObject[]): ExportObject[] {
  const newestRun = new Map<string, { run: string; modifiedMs: number }>();
  const runModified = new Map<string, number>();
  for (const object of objects) {
    const match = RUN_FOLDER.exec(object.key);
    if (!match) continue;
    const runKey = `${match[1]}/${match[2]}`;
    runModified.set(runKey, Math.max(runModified.get(runKey) ?? 0, object.lastModifiedMs));
  }
  for (const [runKey, modifiedMs] of runModified) {
    const [period, run] = [runKey.slice(0, runKey.lastIndexOf('/')), runKey.slice(runKey.lastIndexOf('/') + 1)];
    const best = newestRun.get(period);
    if (!best || modifiedMs > best.modifiedMs || (modifiedMs === best.modifiedMs && run > best.run)) newestRun.set(period, { run, modifiedMs });
  }
  return objects.filter((object) => {
    const match = RUN_FOLDER.exec(object.key);
    return !match || newestRun.get(match[1])?.run === match[2];
  });
}
