/** The pure planner: what a destination needs, from listings and manifests, with no I/O. */
import { fileKey, manifestKey, type VersionRef } from '../../../services/replicator/src/layout';
import { buildManifest, parseManifest, type ManifestFile } from '../../../services/replicator/src/manifest';
import { planReplication, type ObservedManifest, type PlanInput } from '../../../services/replicator/src/planner';
import type { StoredObject } from '../../../services/replicator/src/stores/object-store';

const ref: VersionRef = { model: 'resnet', version: '3' };
const at = new Date('2026-01-01T00:00:00Z');
const hash = (char: string): string => char.repeat(64);
const files: ManifestFile[] = [
  { path: 'model.onnx', size: 100, sha256: hash('a') },
  { path: 'labels/en.txt', size: 10, sha256: hash('b') },
];
const manifest = parseManifest(buildManifest(files), manifestKey(ref));

const object = (key: string, size: number, sha256?: string): StoredObject => ({ key, size, sha256, lastModified: at });
const sourceOf = (version: VersionRef, entries: readonly ManifestFile[]): StoredObject[] => [...entries.map((file) => object(fileKey(version, file.path), file.size)), object(manifestKey(version), manifest.bytes.length)];
const goodCopy = (version: VersionRef): StoredObject[] => [...files.map((file) => object(fileKey(version, file.path), file.size, file.sha256)), object(manifestKey(version), manifest.bytes.length, manifest.sha256)];
const manifests = (...versions: VersionRef[]): Map<string, ObservedManifest> => new Map(versions.map((version) => [`${version.model}/${version.version}`, { ok: true, manifest, lastModified: at }]));

function plan(input: Partial<PlanInput>): ReturnType<typeof planReplication> {
  return planReplication({ source: sourceOf(ref, files), manifests: manifests(ref), destination: [], ...input });
}

describe('planReplication', () => {
  it('copies every file of a new version, then its manifest, and withdraws nothing', () => {
    const { versions, skipped, inSync } = plan({});
    expect(skipped).toEqual([]);
    expect(inSync).toEqual([]);
    expect(versions).toEqual([
      {
        ref,
        withdrawManifest: false,
        copies: [
          { key: 'models/resnet/3/model.onnx', size: 100, sha256: hash('a'), reason: 'missing' },
          { key: 'models/resnet/3/labels/en.txt', size: 10, sha256: hash('b'), reason: 'missing' },
        ],
        manifest: { key: 'models/resnet/3/MANIFEST.json', bytes: manifest.bytes, sha256: manifest.sha256, reason: 'missing' },
        sourceSince: at,
      },
    ]);
  });

  it('finds a complete, verified destination copy in sync', () => {
    expect(plan({ destination: goodCopy(ref) })).toEqual({ versions: [], skipped: [], inSync: [ref] });
  });

  it('copies only what is missing or differs (size or sha256 metadata), and withdraws the manifest above them first', () => {
    const destination = goodCopy(ref).map((entry) => (entry.key.endsWith('model.onnx') ? object(entry.key, 100, hash('f')) : entry)).filter((entry) => !entry.key.endsWith('en.txt'));
    const [version] = plan({ destination }).versions;
    expect(version.withdrawManifest).toBe(true);
    expect(version.copies.map((copy) => [copy.key, copy.reason])).toEqual([
      ['models/resnet/3/model.onnx', 'differs'],
      ['models/resnet/3/labels/en.txt', 'missing'],
    ]);
    // After the withdrawal the manifest is written anew.
    expect(version.manifest.reason).toBe('missing');
  });

  it('treats a copy without sha256 metadata as different, even with the right size', () => {
    const destination = goodCopy(ref).map((entry) => (entry.key.endsWith('model.onnx') ? object(entry.key, 100) : entry));
    expect(plan({ destination }).versions[0].copies.map((copy) => copy.reason)).toEqual(['differs']);
  });

  it('rewrites only a manifest that differs when every file is good, without withdrawing it', () => {
    const destination = goodCopy(ref).map((entry) => (entry.key.endsWith('MANIFEST.json') ? object(entry.key, 3, hash('0')) : entry));
    const [version] = plan({ destination }).versions;
    expect(version).toEqual(expect.objectContaining({ withdrawManifest: false, copies: [], manifest: expect.objectContaining({ reason: 'differs' }) }));
  });

  it('skips a version without a manifest yet, and one whose manifest is invalid', () => {
    const unpublished = { model: 'resnet', version: '4' };
    const invalid = { model: 'resnet', version: '5' };
    const source = [object(fileKey(unpublished, 'model.onnx'), 100), ...sourceOf(invalid, files)];
    const observed = new Map<string, ObservedManifest>([['resnet/5', { ok: false, error: 'models/resnet/5/MANIFEST.json is not a valid manifest: files: must list at least one file' }]]);
    expect(planReplication({ source, manifests: observed, destination: [] })).toEqual({
      versions: [],
      inSync: [],
      skipped: [
        { ref: unpublished, reason: 'incomplete', detail: 'no MANIFEST.json yet: the version is not published' },
        { ref: invalid, reason: 'bad-manifest', detail: 'models/resnet/5/MANIFEST.json is not a valid manifest: files: must list at least one file' },
      ],
    });
  });

  it('never plans a manifest for a version whose source lacks a listed file or has it at another size', () => {
    const missing = sourceOf(ref, files).filter((entry) => !entry.key.endsWith('en.txt'));
    expect(plan({ source: missing })).toEqual({ versions: [], inSync: [], skipped: [{ ref, reason: 'source-missing', detail: 'labels/en.txt is missing' }] });
    const resized = sourceOf(ref, files).map((entry) => (entry.key.endsWith('model.onnx') ? object(entry.key, 99) : entry));
    expect(plan({ source: resized }).skipped[0].detail).toBe('model.onnx is 99 bytes, the manifest says 100');
  });

  it('ignores keys outside the layout and destination files the manifest does not list', () => {
    const source = [...sourceOf(ref, files), object('README.md', 5), object('models/orphan', 5), object('models/resnet/3/extra.bin', 7)];
    const destination = [...goodCopy(ref), object('models/resnet/3/leftover.tmp', 1)];
    expect(plan({ source, destination })).toEqual({ versions: [], skipped: [], inSync: [ref] });
  });

  it('plans versions independently', () => {
    const other = { model: 'bert', version: '1' };
    const result = planReplication({ source: [...sourceOf(ref, files), ...sourceOf(other, files)], manifests: manifests(ref, other), destination: goodCopy(ref) });
    expect(result.inSync).toEqual([ref]);
    expect(result.versions.map((version) => version.ref)).toEqual([other]);
  });

  it('orders the copies largest first, the manifest still last', () => {
    const smallFirst: ManifestFile[] = [
      { path: 'a.txt', size: 1, sha256: hash('1') },
      { path: 'b.bin', size: 300, sha256: hash('2') },
      { path: 'c.bin', size: 20, sha256: hash('3') },
    ];
    const ordered = parseManifest(buildManifest(smallFirst), manifestKey(ref));
    const [version] = planReplication({ source: sourceOf(ref, smallFirst), manifests: new Map([['resnet/3', { ok: true, manifest: ordered, lastModified: at }]]), destination: [] }).versions;
    expect(version.copies.map((copy) => copy.key)).toEqual(['models/resnet/3/b.bin', 'models/resnet/3/c.bin', 'models/resnet/3/a.txt']);
  });
});
