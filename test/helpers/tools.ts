/** Paths of the chart test tools that scripts/install-tools.sh puts in .tools/, and of the CRD schemas it fetches. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './app-command';

const TOOLS_DIR = join(PROJECT_ROOT, '.tools');

export const TOOLS = {
  helm: join(TOOLS_DIR, 'bin', 'helm'),
  kubernetesValidate: join(TOOLS_DIR, 'venv', 'bin', 'kubernetes-validate'),
  checkov: join(TOOLS_DIR, 'venv', 'bin', 'checkov'),
  /** A directory per API group of CRD YAML files, read by crd-validation.ts; complete whenever it exists. */
  crds: join(TOOLS_DIR, 'crds'),
} as const;

export type ToolName = keyof typeof TOOLS;

/** The tool's path; throws, naming the install command, when it is not installed. */
export function toolPath(name: ToolName): string {
  const path = TOOLS[name];
  if (!existsSync(path)) {
    throw new Error(`${name} is not installed at ${path}: run \`bash scripts/install-tools.sh\` (npm test does it first)`);
  }
  return path;
}
