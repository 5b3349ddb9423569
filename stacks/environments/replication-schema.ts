/**
 * The `replication` section of an environment config: which model the serving pods keep in sync, how the model
 * server learns that a new version is in place, and the replicator's cadences. Where models are copied is not
 * configured here: the replicator runs in the primary region and copies to every other (DESIGN § 8, ADR-007).
 * Documented in docs/configuration.md ("Replication").
 */
import { z } from 'zod';

const positiveInt = (unit: string) => z.number().int({ error: `must be a whole number of ${unit}` }).min(1, { error: `must be a whole number of ${unit}, 1 or more` });

export const replicationSchema = z.strictObject({
  /** The model the serving pods serve: `models/<servedModel>/<version>/` in each region's bucket. */
  servedModel: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    error: 'must be a model name: one path segment of letters, digits, dots, underscores or hyphens, such as "resnet50"',
  }),
  /** How the sync sidecar tells the model server that `<model volume>/current` now holds a new version. */
  reloadSignal: z.discriminatedUnion(
    'kind',
    [
      z.strictObject({
        /** The sidecar touches `<model volume>/<fileName>`; the server watches it. */
        kind: z.literal('file'),
        fileName: z.string().regex(/^(?!\.{1,2}$)[A-Za-z0-9._-]{1,255}$/, { error: 'must be a file name (no slash, not "." or "..") such as ".reload"' }),
      }),
      z.strictObject({
        /** The sidecar POSTs to `http://127.0.0.1:<workloads.modelServing.containerPort><path>`. */
        kind: z.literal('http'),
        path: z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, { error: 'must be an absolute URL path such as /admin/reload' }),
      }),
    ],
    { error: 'must have kind "file" (a file the server watches) or "http" (a reload endpoint of the server)' },
  ),
  /** How often each serving pod's sidecar checks its region's bucket for a newer complete version. */
  syncIntervalSeconds: positiveInt('seconds'),
  /** How often the replicator lists every bucket and repairs what events missed. */
  reconcileIntervalSeconds: positiveInt('seconds'),
});

export type ReplicationConfig = z.output<typeof replicationSchema>;
