/**
 * A reader of the sync sidecar's directory, run as its own process by sync.test.ts, doing what a serving
 * container does: resolve `<dir>/current` once, then read the manifest and every file it lists under the resolved
 * directory, checking each file's size and SHA-256. In a loop, as fast as it can. Any failure (a missing file, a
 * half-written one, a mix of versions) is printed as `{"error": ...}` and exits 1; SIGTERM prints
 * `{"reads": n, "versions": [...]}` and exits 0.
 *
 *   node --require ./scripts/register-ts.js test/services/replicator/sync-reader.ts DIR
 */
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';

const directory = process.argv[2];
let reads = 0;
const versions = new Set<string>();
let stopping = false;

process.on('SIGTERM', () => {
  stopping = true;
});

async function readOnce(): Promise<void> {
  let resolved: string;
  try {
    resolved = await realpath(join(directory, 'current'));
  } catch (error) {
    // Before the first version is in place there is no `current`; afterwards it must always resolve.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && versions.size === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return;
    }
    throw error;
  }
  const manifest = JSON.parse(await readFile(join(resolved, 'MANIFEST.json'), 'utf8')) as { files: { path: string; size: number; sha256: string }[] };
  for (const file of manifest.files) {
    const data = await readFile(join(resolved, file.path));
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (data.length !== file.size || sha256 !== file.sha256) throw new Error(`${resolved}/${file.path}: ${data.length} bytes, sha256 ${sha256}; the manifest says ${file.size}, ${file.sha256}`);
  }
  versions.add(basename(resolved));
  reads++;
}

async function main(): Promise<void> {
  while (!stopping) await readOnce();
  process.stdout.write(`${JSON.stringify({ reads, versions: [...versions] })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message, reads, versions: [...versions] })}\n`);
  process.exit(1);
});
