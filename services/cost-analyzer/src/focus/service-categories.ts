/**
 * The provider service → FOCUS ServiceCategory mapping, which is data (`data/service-categories.json`), not code:
 * extending it is an edit of that file (docs/cost-categories.md). Checked when loaded: every category must be a
 * FOCUS value and no service may sit in two categories.
 */
import MAPPING from '../../data/service-categories.json';
import { SERVICE_CATEGORIES, type ServiceCategory } from './columns';

/** `{provider: {category: [service names]}}`, the layout of the JSON file. */
export type ServiceCategoryData = Readonly<Record<string, unknown>>;

const CATEGORY_SET: ReadonlySet<string> = new Set(SERVICE_CATEGORIES);
export function isServiceCategory(value: string): value is ServiceCategory {
  return CATEGORY_SET.has(value);
}

export class ServiceCategoryMap {
  private readonly byProvider = new Map<string, Map<string, ServiceCategory>>();

  constructor(data: ServiceCategoryData, source = 'service-categories.json') {
    for (const [provider, categories] of Object.entries(data)) {
      if (provider.startsWith('$')) continue; // $comment
      if (!isRecord(categories)) throw new Error(`${source}: ${provider} must map categories to lists of service names`);
      const services = new Map<string, ServiceCategory>();
      for (const [category, names] of Object.entries(categories)) {
        if (!isServiceCategory(category)) throw new Error(`${source}: ${provider}: "${category}" is not a FOCUS ServiceCategory; use one of ${SERVICE_CATEGORIES.join(', ')}`);
        if (!Array.isArray(names) || !names.every((name): name is string => typeof name === 'string')) throw new Error(`${source}: ${provider}.${category} must be a list of service names`);
        for (const name of names) {
          const key = normalize(name);
          const already = services.get(key);
          if (already !== undefined && already !== category) throw new Error(`${source}: ${provider}: "${name}" is listed under both ${already} and ${category}; keep one`);
          services.set(key, category);
        }
      }
      this.byProvider.set(provider, services);
    }
  }

  /** The category of `service` of `provider` (aws, gcp, azure), or undefined when the mapping does not list it. */
  categoryOf(provider: string, service: string): ServiceCategory | undefined {
    return this.byProvider.get(provider)?.get(normalize(service));
  }
}

/** The mapping shipped in the repository. */
export const DEFAULT_SERVICE_CATEGORIES = new ServiceCategoryMap(MAPPING);

function normalize(name: string): string {
  return name.trim().toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
