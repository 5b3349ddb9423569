/**
 * Telling the serving container that `current` moved: a file it watches (its content becomes the version name,
 * written by rename, so its mtime changes and a reader never sees half a name), or an HTTP POST it answers 2xx.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { SignalConfig } from '../config';

export interface SwitchNotice {
  readonly model: string;
  readonly version: string;
  /** The installed version's directory (`current` points at it). */
  readonly path: string;
}

export type Signal = (notice: SwitchNotice) => Promise<void>;

export function createSignal(config: SignalConfig): Signal {
  switch (config.kind) {
    case 'file':
      return async (notice) => {
        const temporary = `${config.path}.${process.pid}.tmp`;
        await writeFile(temporary, `${notice.version}\n`);
        await rename(temporary, config.path);
      };
    case 'http':
      return async (notice) => {
        const response = await fetch(config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(notice),
          signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
        });
        // The body is not needed, but must be consumed so the connection is released.
        const text = await response.text();
        if (!response.ok) throw new Error(`POST ${config.url} answered ${response.status}: ${text.slice(0, 200)}`);
      };
  }
}
