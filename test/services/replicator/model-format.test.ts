/** The model layout (keys, version order) and the manifest format. */
import { compareVersions, parseModelKey } from '../../../services/replicator/src/layout';
import { buildManifest, InvalidManifestError, parseManifest } from '../../../services/replicator/src/manifest';

describe('parseModelKey', () => {
  it('splits models/<model>/<version>/<file>, the file possibly nested', () => {
    expect(parseModelKey('models/resnet/12/weights/part-0.bin')).toEqual({ model: 'resnet', version: '12', file: 'weights/part-0.bin' });
    expect(parseModelKey('models/resnet/12/MANIFEST.json')).toEqual({ model: 'resnet', version: '12', file: 'MANIFEST.json' });
  });

  it.each(['README.md', 'models/resnet', 'models/resnet/12/', 'models/resnet/12/dir/', 'other/resnet/1/a', 'models/../1/a', 'models/resnet/../a', 'models/resnet/1/../../x'])('rejects %s', (key) => {
    expect(parseModelKey(key)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('orders digit runs as numbers, so the newest version sorts last', () => {
    expect(['10', '9', '2024-06-10', '2024-06-02', 'v2', 'v10', '1.10.0', '1.9.3'].sort(compareVersions)).toEqual(['1.9.3', '1.10.0', '9', '10', '2024-06-02', '2024-06-10', 'v2', 'v10']);
  });

  it('is a total order: names equal to the collator still get a stable order', () => {
    expect(compareVersions('01', '1')).not.toBe(0);
    expect(Math.sign(compareVersions('01', '1'))).toBe(-Math.sign(compareVersions('1', '01')));
  });
});

describe('manifests', () => {
  const file = { path: 'model.onnx', size: 3, sha256: 'a'.repeat(64) };

  it('round-trips, keeping the exact bytes and other fields, with the SHA-256 of those bytes', () => {
    const bytes = buildManifest([file], { createdAt: '2026-01-01T00:00:00Z' });
    const manifest = parseManifest(bytes, 'k');
    expect(manifest.files).toEqual([file]);
    expect(manifest.bytes).toBe(bytes);
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ createdAt: '2026-01-01T00:00:00Z', files: [file] });
  });

  it.each([
    ['not json', 'not JSON'],
    ['{"files": []}', 'files: must list at least one file'],
    ['{"files": [{"path": "../x", "size": 1, "sha256": "' + 'a'.repeat(64) + '"}]}', 'files.0.path: must be a relative path without empty, . or .. segments'],
    ['{"files": [{"path": "MANIFEST.json", "size": 1, "sha256": "' + 'a'.repeat(64) + '"}]}', 'files.0.path: must not be MANIFEST.json itself'],
    ['{"files": [{"path": "a", "size": 1, "sha256": "ABC"}]}', 'files.0.sha256: must be 64 lowercase hex digits'],
    ['{"files": [{"path": "a", "size": -1, "sha256": "' + 'a'.repeat(64) + '"}]}', 'files.0.size'],
    [`{"files": [${JSON.stringify(file)}, ${JSON.stringify(file)}]}`, 'files: model.onnx is listed twice'],
  ])('rejects %s', (text, message) => {
    expect(() => parseManifest(Buffer.from(text), 'models/m/1/MANIFEST.json')).toThrow(InvalidManifestError);
    expect(() => parseManifest(Buffer.from(text), 'models/m/1/MANIFEST.json')).toThrow(message);
  });
});
