/** The DnsWeights port: read and set the weights of a region's self/spill record pair. */
import type { RegionName, Weights } from '../domain';

export interface DnsWeights {
  /** The pair as the DNS service has it now; undefined when either record is missing. */
  read(region: RegionName): Promise<Weights | undefined>;
  /**
   * Sets both weights in one atomic change (desired state: writing what is already there changes nothing) and
   * waits until the change is live on the name servers.
   */
  write(region: RegionName, desired: Weights, reason: string): Promise<void>;
}

/** Thrown when the record pair the global stack creates is not there: nothing to move. */
export class RecordPairMissingError extends Error {
  constructor(readonly region: RegionName, detail: string) {
    super(`record pair of ${region} not found: ${detail}`);
    this.name = 'RecordPairMissingError';
  }
}
