/**
 * What `GET /observations` serves and peers read. Ages, not timestamps: the reader turns an age into a time on
 * its own clock, so the observers' clocks never need to agree. A peer's answer is untrusted input: it is
 * validated, and anything malformed counts as no report.
 */
import { z } from 'zod';
import type { ObserverReport, RegionObservation } from '../domain';

const wireObservationSchema = z.strictObject({
  consecutiveFailures: z.number().int().min(0),
  consecutiveSuccesses: z.number().int().min(0),
  ageMs: z.number().min(0),
  lastError: z.string().max(500).optional(),
});

export const wireReportSchema = z.strictObject({
  observer: z.string().min(1).max(63),
  regions: z.record(z.string().min(1).max(63), wireObservationSchema),
});

export type WireReport = z.infer<typeof wireReportSchema>;

export function toWire(report: ObserverReport, now: number): WireReport {
  return {
    observer: report.observer,
    regions: Object.fromEntries(
      Object.entries(report.regions).map(([region, observation]) => [
        region,
        {
          consecutiveFailures: observation.consecutiveFailures,
          consecutiveSuccesses: observation.consecutiveSuccesses,
          ageMs: Math.max(0, now - observation.probedAt),
          ...(observation.lastError === undefined ? {} : { lastError: observation.lastError }),
        },
      ]),
    ),
  };
}

/** Parses a peer's answer received at `receivedAt` (local clock); throws on anything malformed. */
export function fromWire(body: unknown, receivedAt: number): ObserverReport {
  const wire = wireReportSchema.parse(body);
  const regions: Record<string, RegionObservation> = {};
  for (const [region, observation] of Object.entries(wire.regions)) {
    regions[region] = {
      consecutiveFailures: observation.consecutiveFailures,
      consecutiveSuccesses: observation.consecutiveSuccesses,
      probedAt: receivedAt - observation.ageMs,
      ...(observation.lastError === undefined ? {} : { lastError: observation.lastError }),
    };
  }
  return { observer: wire.observer, regions };
}
