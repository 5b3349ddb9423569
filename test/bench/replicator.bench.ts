/**
 * Replicator benchmark: the replicator against `rclone copy`, on the same emulators (moto S3, fake-gcs-server,
 * Azurite), the same data, in one run. A mixed model version, 200 × 64 KiB files and 4 × 64 MiB files, is copied
 * S3 → GCS and S3 → Azure by each tool into its own empty bucket or container. Prints wall time, throughput and
 * peak RSS of each, and the throughput ratio. Asserts nothing.
 *
 *   npm run bench:replicator [-- --small 200 --large 4 --rounds 3]
 *
 * Each round copies into fresh buckets and containers, the two tools taking turns to go first; the figures are the
 * medians over the rounds (the emulators and both tools share the machine's CPUs, so one run is noisy).
 *
 * Both are measured as processes, from spawn to done: the replicator until it logs the version replicated (its
 * manifest written; then checked at the destination), rclone until it exits. The replicator is a long-running
 * service that starts once (Node.js and three SDKs, about 0.6 s): its throughput is also shown without that start-up. Peak RSS is the kernel's VmHWM of the
 * process and CPU its user + system time, both read every 25 ms from /proc. What each verifies differs, and is printed: the replicator hashes every
 * byte with SHA-256 against the manifest and checks the written copy's size and metadata; rclone checks sizes,
 * and MD5s where both sides have one (S3 multipart objects have none).
 */
import { ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { manifestKey, type VersionRef } from '../../services/replicator/src/layout';
import type { NamedStoreConfig } from '../../services/replicator/src/config';
import { createObjectStore } from '../../services/replicator/src/stores/factory';
import { AZURITE_ACCOUNT, PEER_BINARIES } from '../helpers/peers';
import { GCS_STORE, MiB, publishVersion, replicateConfig, S3_STORE, startEmulators, type Emulators, type FileSpec } from '../services/replicator/emulators';
import { startReplicatorProcess } from '../services/replicator/process';

const KiB = 1024;
const REF: VersionRef = { model: 'bench', version: '1' };

function countArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, 0 or more (got ${process.argv[index + 1]})`);
  return value;
}

interface Measured {
  readonly wallSeconds: number;
  /** From spawn to ready to work (the replicator's `listening` log line); 0 for rclone, which starts in milliseconds. */
  readonly startupSeconds: number;
  readonly peakMiB: number;
  /** User and system CPU time of the process. */
  readonly cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** The process's VmHWM (MiB) and CPU time so far, or undefined once it is gone. */
function sample(pid: number): { readonly peakMiB: number; readonly cpuSeconds: number } | undefined {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are 14th, 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (hwm === null) return undefined;
    return { peakMiB: Number(hwm[1]) / 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined; // exited between two reads
  }
}

/** Samples a process every 25 ms until `done` resolves; the last values read are its peak RSS and CPU time. */
async function measure(pid: number, done: Promise<void>, started: number): Promise<Measured> {
  let peakMiB = 0;
  let cpuSeconds = 0;
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    const current = sample(pid);
    if (current !== undefined) ({ peakMiB, cpuSeconds } = { peakMiB: Math.max(peakMiB, current.peakMiB), cpuSeconds: current.cpuSeconds });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 25))]);
  }
  return { wallSeconds: (Date.now() - started) / 1000, startupSeconds: 0, peakMiB, cpuSeconds };
}

type Destination = 'gcs' | 'azure';

/** A fresh bucket or container for one tool in one round. */
async function freshTarget(emulators: Emulators, destination: Destination, name: string): Promise<void> {
  if (destination === 'gcs') await emulators.storage.createBucket(name);
  else await emulators.blobs.getContainerClient(name).create();
}

async function runReplicator(emulators: Emulators, destination: Destination, bucket: string): Promise<Measured> {
  const destinationStore: NamedStoreConfig =
    destination === 'gcs' ? { ...GCS_STORE, bucket } : { name: 'centralindia', kind: 'azure-blob', accountUrl: emulators.azurite.blobAccountUrl, container: bucket };
  const dependencies = { retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 }, upload: { multipartThresholdBytes: 16 * MiB, partSizeBytes: 8 * MiB }, azureConnectionString: emulators.azurite.connectionString };
  const target = createObjectStore(destinationStore, dependencies);
  const started = Date.now();
  // The defaults of the config (copy, retry), as in a cluster.
  const replicator = startReplicatorProcess(replicateConfig(emulators, { stores: [S3_STORE, destinationStore], copy: {}, retry: {}, logLevel: 'info' }), emulators.env);
  // Done at its `version replicated` log line (written once the manifest is), then checked at the destination
  // once: polling the destination meanwhile would load its emulator, which shares the CPUs, during this run only.
  const done = (async () => {
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (replicator.stdout().includes('"msg":"version replicated"')) resolve();
      };
      replicator.child.stdout.on('data', check);
      replicator.child.once('exit', (code) => reject(new Error(`replicator exited with ${code}: ${replicator.stderr()}`)));
      check();
    });
    if ((await target.stat(manifestKey(REF))) === undefined) throw new Error('the replicator logged the version replicated, but its manifest is not at the destination');
  })();
  const measured = await measure(replicator.child.pid as number, done, started);
  await replicator.terminate();
  const listening = replicator.logs().find((line) => line.msg === 'listening');
  return { ...measured, startupSeconds: listening ? (Date.parse(String(listening.time)) - started) / 1000 : 0 };
}

async function runRclone(emulators: Emulators, destination: Destination, bucket: string): Promise<Measured> {
  const sas = generateBlobSASQueryParameters(
    { containerName: bucket, permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 3_600_000) },
    new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key),
  ).toString();
  const env = {
    ...process.env,
    // rclone 1.60's AWS SDK refuses a custom CA bundle with its own HTTP transport; the emulators speak plain HTTP.
    AWS_CA_BUNDLE: undefined,
    RCLONE_CONFIG_SRC_TYPE: 's3',
    RCLONE_CONFIG_SRC_PROVIDER: 'Other',
    RCLONE_CONFIG_SRC_ENDPOINT: emulators.moto.url,
    RCLONE_CONFIG_SRC_REGION: 'us-east-1',
    RCLONE_CONFIG_SRC_ACCESS_KEY_ID: 'testing',
    RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY: 'testing',
    RCLONE_CONFIG_SRC_FORCE_PATH_STYLE: 'true',
    RCLONE_CONFIG_GCS_TYPE: 'google cloud storage',
    RCLONE_CONFIG_GCS_ENDPOINT: `${emulators.gcs.url}/storage/v1/`,
    RCLONE_CONFIG_GCS_ANONYMOUS: 'true',
    // rclone's azureblob endpoint is a DNS suffix; a container SAS URL is how it reaches Azurite's port.
    RCLONE_CONFIG_AZ_TYPE: 'azureblob',
    RCLONE_CONFIG_AZ_SAS_URL: `${emulators.azurite.blobAccountUrl}/${bucket}?${sas}`,
  };
  const target = destination === 'gcs' ? `gcs:${bucket}/models` : `az:${bucket}/models`;
  const started = Date.now();
  const child = spawn(PEER_BINARIES.rclone, ['copy', `src:${S3_STORE.bucket}/models`, target, '--config', '/dev/null', '--stats', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`rclone exited with ${code}: ${stderr}`)))));
  return measure(child.pid as number, done, started);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const small = countArg('small', 200);
  const large = countArg('large', 4);
  const rounds = Math.max(1, countArg('rounds', 3));
  const files: FileSpec[] = [
    ...Array.from({ length: small }, (_, index) => ({ path: `small/${String(index).padStart(4, '0')}.bin`, size: 64 * KiB })),
    ...Array.from({ length: large }, (_, index) => ({ path: `large/${index}.bin`, size: 64 * MiB })),
  ];
  const totalMiB = files.reduce((sum, file) => sum + file.size, 0) / MiB;
  process.stdout.write(`replicator vs ${rcloneVersion()}: ${small} × 64 KiB + ${large} × 64 MiB = ${totalMiB.toFixed(1)} MiB, ${files.length} files; median of ${rounds} round${rounds === 1 ? '' : 's'}\n`);

  const emulators = await startEmulators();
  try {
    const publishStarted = Date.now();
    await publishVersion(emulators.s3, REF, files);
    process.stdout.write(`published to moto in ${((Date.now() - publishStarted) / 1000).toFixed(1)} s\n\n`);

    const routes = [
      { route: 'S3 → GCS', destination: 'gcs' as const },
      { route: 'S3 → Azure', destination: 'azure' as const },
    ];
    const results = new Map<string, Measured[]>();
    const record = (key: string, measured: Measured): void => void results.set(key, [...(results.get(key) ?? []), measured]);
    for (let round = 0; round < rounds; round++) {
      for (const { route, destination } of routes) {
        const tools = [
          async () => {
            await freshTarget(emulators, destination, `replicator-${round}`);
            record(`${route} replicator`, await runReplicator(emulators, destination, `replicator-${round}`));
          },
          async () => {
            await freshTarget(emulators, destination, `rclone-${round}`);
            record(`${route} rclone`, await runRclone(emulators, destination, `rclone-${round}`));
          },
        ];
        for (const run of round % 2 === 0 ? tools : [...tools].reverse()) await run();
      }
    }

    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const { route } of routes) {
      const summary = (tool: string): { wallSeconds: number; throughput: number; copyThroughput: number; startupSeconds: number; peakMiB: number; cpuSeconds: number } => {
        const runs = results.get(`${route} ${tool}`) ?? [];
        const wallSeconds = median(runs.map((run) => run.wallSeconds));
        const startupSeconds = median(runs.map((run) => run.startupSeconds));
        return {
          wallSeconds,
          throughput: totalMiB / wallSeconds,
          startupSeconds,
          copyThroughput: median(runs.map((run) => totalMiB / (run.wallSeconds - run.startupSeconds))),
          peakMiB: median(runs.map((run) => run.peakMiB)),
          cpuSeconds: median(runs.map((run) => run.cpuSeconds)),
        };
      };
      const replicator = summary('replicator');
      const rclone = summary('rclone');
      const row = (tool: string, figures: ReturnType<typeof summary>, verification: string): string[] => [
        route,
        tool,
        figures.wallSeconds.toFixed(2),
        figures.startupSeconds.toFixed(2),
        figures.throughput.toFixed(1),
        figures.copyThroughput.toFixed(1),
        figures.peakMiB.toFixed(0),
        figures.cpuSeconds.toFixed(2),
        verification,
      ];
      rows.push(row('replicator', replicator, 'SHA-256 of every byte vs the manifest; size and sha256 metadata of each copy'));
      rows.push(row('rclone', rclone, 'sizes; MD5 where both sides have one'));
      ratios.push(
        `${route}: replicator/rclone throughput ${(replicator.throughput / rclone.throughput).toFixed(2)}× (start-up excluded ${(replicator.copyThroughput / rclone.copyThroughput).toFixed(2)}×), ` +
          `peak RSS ${(replicator.peakMiB / rclone.peakMiB).toFixed(2)}×, CPU ${(replicator.cpuSeconds / rclone.cpuSeconds).toFixed(2)}×`,
      );
    }
    const header = ['route', 'tool', 'wall s', 'start-up s', 'MiB/s', 'MiB/s after start-up', 'peak RSS MiB', 'CPU s', 'verification'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()}\n`);
    process.stdout.write(`\n${ratios.join('\n')}\n`);
  } finally {
    await emulators.stop();
  }
}

function rcloneVersion(): string {
  return execFileSync(PEER_BINARIES.rclone, ['version'], { encoding: 'utf8' }).split('\n')[0];
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
