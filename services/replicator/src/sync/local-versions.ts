/**
 * The sync sidecar's local directory, the one the serving container reads:
 *
 * ```
 * <directory>/
 *   current -> versions/<version>@<manifest sha256, 12 hex>   the live version (a relative symlink)
 *   versions/<version>@<sha12>/<files...>, MANIFEST.json       complete, verified versions: current and previous
 *   .staging/                                                  downloads in progress (emptied at start)
 * ```
 * A version is downloaded into .staging, verified, then renamed into versions/ (atomic: same file system), and
 * `current` is switched by renaming a new symlink over it (atomic: a reader sees the old or the new target, never
 * neither). The previous version stays until the next switch, so a reader that resolved `current` just before a
 * switch can finish reading it.
 */
import { mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

export const CURRENT_LINK = 'current';
export const VERSIONS_DIR = 'versions';
export const STAGING_DIR = '.staging';

/** A locally installed version: its name and the SHA-256 of the manifest it was installed from. */
export interface InstalledVersion {
  readonly version: string;
  readonly manifestSha256: string;
}

const SHA_PREFIX_LENGTH = 12;

export function installedDirName(installed: InstalledVersion): string {
  return `${installed.version}@${installed.manifestSha256.slice(0, SHA_PREFIX_LENGTH)}`;
}

/** The same version as installed, judged by name and manifest. */
export function sameInstall(a: InstalledVersion, b: InstalledVersion): boolean {
  return a.version === b.version && a.manifestSha256.slice(0, SHA_PREFIX_LENGTH) === b.manifestSha256.slice(0, SHA_PREFIX_LENGTH);
}

export class LocalVersions {
  constructor(readonly directory: string) {}

  /** Creates the layout's directories and removes downloads a previous run left unfinished. */
  async prepare(): Promise<void> {
    await rm(join(this.directory, STAGING_DIR), { recursive: true, force: true });
    await mkdir(join(this.directory, STAGING_DIR), { recursive: true });
    await mkdir(join(this.directory, VERSIONS_DIR), { recursive: true });
  }

  /** The live version, from the `current` link; undefined before the first switch. */
  async current(): Promise<InstalledVersion | undefined> {
    let target: string;
    try {
      target = await readlink(join(this.directory, CURRENT_LINK));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseDirName(target.slice(`${VERSIONS_DIR}/`.length));
  }

  /** A fresh directory in .staging for a download. */
  async staging(installed: InstalledVersion): Promise<string> {
    const path = join(this.directory, STAGING_DIR, `${installedDirName(installed)}.${process.pid}.${Date.now()}`);
    await mkdir(path, { recursive: true });
    return path;
  }

  async discard(stagingPath: string): Promise<void> {
    await rm(stagingPath, { recursive: true, force: true });
  }

  /** Moves a verified download into versions/ and points `current` at it. */
  async install(stagingPath: string, installed: InstalledVersion): Promise<string> {
    const name = installedDirName(installed);
    const target = join(this.directory, VERSIONS_DIR, name);
    // A leftover of the same content (an interrupted earlier switch) is replaced; it is not current.
    await rm(target, { recursive: true, force: true });
    await rename(stagingPath, target);
    await this.point(name);
    return target;
  }

  /** Points `current` at an installed version already in versions/ (a rollback to the previous one). */
  async reuse(installed: InstalledVersion): Promise<boolean> {
    const name = installedDirName(installed);
    const names = await readdir(join(this.directory, VERSIONS_DIR));
    if (!names.includes(name)) return false;
    await this.point(name);
    return true;
  }

  /** Removes every installed version but `keep` (current and previous). */
  async prune(keep: readonly InstalledVersion[]): Promise<void> {
    const kept = new Set(keep.map(installedDirName));
    for (const name of await readdir(join(this.directory, VERSIONS_DIR))) {
      if (!kept.has(name)) await rm(join(this.directory, VERSIONS_DIR, name), { recursive: true, force: true });
    }
  }

  private async point(name: string): Promise<void> {
    const temporary = join(this.directory, `.${CURRENT_LINK}.${process.pid}.tmp`);
    await rm(temporary, { force: true });
    // Relative, so the link resolves wherever the volume is mounted (the serving container may mount it elsewhere).
    await symlink(`${VERSIONS_DIR}/${name}`, temporary);
    await rename(temporary, join(this.directory, CURRENT_LINK));
  }
}

function parseDirName(name: string): InstalledVersion | undefined {
  const at = name.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { version: name.slice(0, at), manifestSha256: name.slice(at + 1) };
}
