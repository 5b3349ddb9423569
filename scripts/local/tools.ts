/**
 * Before anything starts: every binary the local platform runs must be installed, or the run stops at once with
 * one message naming what is missing and the command that installs it.
 */
import { existsSync } from 'node:fs';
import { INSTALL_PEERS_COMMAND, PEER_BINARIES } from '../../test/helpers/peers';

export interface Tool {
  /** What it is, e.g. `moto (local S3, SQS, Route53)`. */
  readonly name: string;
  readonly path: string;
  /** The command that installs it. */
  readonly install: string;
}

/** Azurite is an npm dev dependency (the npm packages themselves are checked by launch.js, before any TypeScript loads). */
const NPM_CI = 'npm ci';

export function requiredTools(): Tool[] {
  const peer = (name: string, binary: keyof typeof PEER_BINARIES): Tool => ({ name, path: PEER_BINARIES[binary], install: INSTALL_PEERS_COMMAND });
  return [
    // npm's first: the install commands are named in this order, and install-peers comes after npm ci.
    { name: 'Azurite (local Azure Blob)', path: PEER_BINARIES.azuriteBlob, install: NPM_CI },
    peer('moto (local S3, SQS, Route53)', 'moto'),
    peer('fake-gcs-server (local GCS)', 'fakeGcs'),
    peer('Alertmanager', 'alertmanager'),
    peer('Prometheus', 'prometheus'),
  ];
}

export class MissingToolsError extends Error {
  constructor(readonly missing: readonly Tool[]) {
    const commands = [...new Set(missing.map((tool) => tool.install))];
    super(
      `Cannot start the local platform: ${missing.length} tool${missing.length === 1 ? ' is' : 's are'} missing:\n` +
        missing.map((tool) => `  - ${tool.name}: not found at ${tool.path}`).join('\n') +
        `\nInstall ${missing.length === 1 ? 'it' : 'them'} with: ${commands.map((command) => `\`${command}\``).join(', then ')}`,
    );
    this.name = 'MissingToolsError';
  }
}

/** Throws a MissingToolsError listing every missing tool (not only the first). */
export function checkTools(tools: readonly Tool[], exists: (path: string) => boolean = existsSync): void {
  const missing = tools.filter((tool) => !exists(tool.path));
  if (missing.length > 0) throw new MissingToolsError(missing);
}
