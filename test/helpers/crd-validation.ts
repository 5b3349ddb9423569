/**
 * Validates rendered custom resources against the CRD schemas that scripts/install-tools.sh fetches into
 * .tools/crds/<group>/ (Gateway API, Envoy Gateway, cert-manager, prometheus-operator): kubernetes-validate only
 * knows built-in kinds.
 *
 * Each CRD version's openAPIV3Schema is converted to JSON Schema and checked by Ajv, the way the API server checks
 * a create with strict field validation: types, required, enum, pattern, lengths, item and property counts,
 * int-or-string, and unknown fields as errors unless the schema preserves unknown fields. Not checked:
 * - `x-kubernetes-validations` (CEL rules): no CEL evaluator here, and an approximation would pass or fail
 *   things the API server does not;
 * - `format` (the API server checks a few formats, e.g. date-time; Ajv would need ajv-formats, and its formats
 *   are not Kubernetes' own);
 * - key uniqueness in `x-kubernetes-list-type: map` lists (a set's item uniqueness is checked);
 * - ObjectMeta beyond a name and string labels and annotations (the API server validates it, not the CRD).
 * Stricter than the API server in one way: a null where the schema is not nullable is an error here, where the
 * server drops the field; in a rendered chart that is an empty key, a template slip worth seeing.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toolPath } from './tools';

/**
 * API groups the API server serves itself (Kubernetes 1.33), whose kinds kubernetes-validate checks. Listed,
 * not matched by suffix: gateway.networking.k8s.io is a CRD group, networking.k8s.io is not.
 */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '', // core: v1
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

/** An OpenAPI v3 schema node as a CRD writes it; the keywords the conversion reads are named. */
interface CrdSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, CrdSchema>>;
  readonly additionalProperties?: boolean | CrdSchema;
  readonly items?: CrdSchema;
  readonly allOf?: readonly CrdSchema[];
  readonly anyOf?: readonly CrdSchema[];
  readonly oneOf?: readonly CrdSchema[];
  readonly not?: CrdSchema;
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** OpenAPI 3.0 booleans, numbers in the JSON Schema Ajv speaks. */
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly [keyword: string]: unknown;
}

type JsonSchema = Record<string, unknown>;

interface CustomResourceDefinition {
  readonly apiVersion: string;
  readonly kind: string;
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean; readonly schema?: { readonly openAPIV3Schema: CrdSchema } }[];
  };
}

/** Value validations JSON Schema (draft-07) and the structural schema share: copied as they are. */
const COPIED = new Set(['type', 'enum', 'pattern', 'maxLength', 'minLength', 'maximum', 'minimum', 'multipleOf', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required']);
/**
 * Keywords that constrain nothing the validator can check (see the file comment): dropped. Any keyword in
 * neither list fails the conversion, so an unknown constraint is never ignored silently.
 */
const DROPPED = new Set([
  'description', 'title', 'default', 'example', 'externalDocs', 'format',
  'x-kubernetes-validations', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
]);

/** Keywords that change how other keywords or the whole node read: applied once the node's keywords are copied. */
const HANDLED_AFTER = new Set([
  'exclusiveMinimum', 'exclusiveMaximum', 'nullable',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
]);

/** The part of ObjectMeta a CRD does not describe but every object has; the rest is the API server's to check. */
function objectMetaSchema(nameRequired: boolean, crdNameSchema: JsonSchema | undefined): JsonSchema {
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  const name = { type: 'string', minLength: 1, maxLength: 253 };
  return {
    type: 'object',
    properties: {
      // A CRD may restrict metadata.name (and nothing else of metadata): both apply.
      name: crdNameSchema ? { allOf: [name, crdNameSchema] } : name,
      namespace: { type: 'string', minLength: 1, maxLength: 63 },
      labels: stringMap,
      annotations: stringMap,
    },
    ...(nameRequired ? { required: ['name'] } : {}),
  };
}

/**
 * The structural schema node as JSON Schema. `inJunctor` marks allOf/anyOf/oneOf/not branches: there a
 * structural schema only repeats value validations of properties declared beside it, so no field is unknown.
 */
function toJsonSchema(node: CrdSchema, location: string, inJunctor: boolean): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (COPIED.has(keyword)) out[keyword] = value;
    else if (keyword === 'properties') {
      out.properties = Object.fromEntries(Object.entries(node.properties ?? {}).map(([name, child]) => [name, toJsonSchema(child, `${location}.${name}`, inJunctor)]));
    } else if (keyword === 'additionalProperties') {
      const additional = node.additionalProperties;
      out.additionalProperties = typeof additional === 'object' ? toJsonSchema(additional, `${location}.*`, inJunctor) : additional;
    } else if (keyword === 'items') out.items = toJsonSchema(node.items ?? {}, `${location}[]`, inJunctor);
    else if (keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') {
      out[keyword] = (node[keyword] ?? []).map((branch) => toJsonSchema(branch, location, true));
    } else if (keyword === 'not') out.not = toJsonSchema(node.not ?? {}, location, true);
    else if (HANDLED_AFTER.has(keyword)) continue;
    else if (keyword === 'x-kubernetes-list-type') {
      // A set's items are unique; a map's items are unique by their keys, which JSON Schema cannot say (not checked).
      if (value === 'set') out.uniqueItems = true;
    } else if (!DROPPED.has(keyword)) throw new Error(`CRD schema keyword ${keyword} at ${location} is not supported by crd-validation`);
  }
  if (node.exclusiveMinimum && node.minimum !== undefined) {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum && node.maximum !== undefined) {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }
  // No type of its own; controller-gen usually writes the anyOf too.
  if (node['x-kubernetes-int-or-string'] && !out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if (node['x-kubernetes-embedded-resource']) {
    const properties = (out.properties ?? {}) as Record<string, JsonSchema>;
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...properties, metadata: objectMetaSchema(false, undefined) };
  }
  const objectNode = node.type === 'object' || node.properties !== undefined;
  if (!inJunctor && objectNode && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    // The API server drops undeclared fields, silently unless the client asks for strict field validation (as
    // kubectl does by default): either way the field never takes effect, so it is an error here.
    out.additionalProperties = false;
  }
  if (node.nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    if (node['x-kubernetes-int-or-string']) out.anyOf = [...(out.anyOf as JsonSchema[]), { type: 'null' }];
  }
  return out;
}

/** The whole object's schema: the CRD's, with metadata as the API server sees it. */
function resourceSchema(root: CrdSchema, location: string): JsonSchema {
  const schema = toJsonSchema(root, location, false);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const crdName = root.properties?.metadata?.properties?.name;
  return {
    ...schema,
    properties: { ...properties, metadata: objectMetaSchema(true, crdName ? toJsonSchema(crdName, `${location}.metadata.name`, false) : undefined) },
    required: [...new Set([...((schema.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata'])],
  };
}

interface KnownKind {
  readonly file: string;
  /** Served versions only: the API server refuses the others. */
  readonly versions: ReadonlyMap<string, CrdSchema>;
  readonly compiled: Map<string, ValidateFunction>;
}

/**
 * CRD patterns are Go RE2. The one RE2 construct they use that JavaScript lacks is the inline flag `(?i)` (three
 * prometheus-operator patterns, none on a kind Skyline renders today): it is dropped and the whole pattern made
 * case-insensitive. That can widen what a pattern accepts, never narrow it, so no valid value is rejected.
 */
function goRegExp(pattern: string, unicodeFlag: string): RegExp {
  const caseInsensitive = pattern.includes('(?i)');
  return new RegExp(caseInsensitive ? pattern.split('(?i)').join('') : pattern, caseInsensitive ? `${unicodeFlag}i` : unicodeFlag);
}
// Ajv names the engine in standalone code, which is not generated here.
goRegExp.code = 'goRegExp';

const ajv = new Ajv({
  allErrors: true,
  // Gives each error its schema: an int-or-string's anyOf is reported as "must be integer or string".
  verbose: true,
  // Strict, so a conversion slip (an unknown keyword) fails loudly; but a junctor branch's `properties` or
  // `required` without a `type` is normal in structural schemas.
  strict: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true,
  validateFormats: false,
  code: { regExp: goRegExp },
});
const groups = new Map<string, ReadonlyMap<string, KnownKind> | undefined>();

function crdDirectory(): string {
  return toolPath('crds');
}

/** The CRDs of one API group, by kind; parsed when first needed (the YAML is megabytes). */
function kindsOf(group: string): ReadonlyMap<string, KnownKind> | undefined {
  if (groups.has(group)) return groups.get(group);
  const directory = join(crdDirectory(), group);
  let kinds: Map<string, KnownKind> | undefined;
  if (existsSync(directory)) {
    kinds = new Map();
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.yaml')).sort()) {
      const path = join(directory, file);
      for (const document of parseAllDocuments(readFileSync(path, 'utf8'))) {
        if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0].message}`);
        const crd = document.toJS() as CustomResourceDefinition | null;
        if (crd?.kind !== 'CustomResourceDefinition' || crd.spec.group !== group) continue;
        const versions = new Map(crd.spec.versions.filter((version) => version.served && version.schema).map((version) => [version.name, version.schema?.openAPIV3Schema ?? {}]));
        kinds.set(crd.spec.names.kind, { file: path, versions, compiled: new Map() });
      }
    }
  }
  groups.set(group, kinds);
  return kinds;
}

function knownGroups(): string[] {
  return readdirSync(crdDirectory(), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** spec.rules[0].matches rather than /spec/rules/0/matches: the API server's way of naming a field. */
function fieldPath(instancePath: string): string {
  if (instancePath === '') return '(root)';
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function describeError(error: ErrorObject): string {
  const where = fieldPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown field "${String(error.params.additionalProperty)}"`;
    case 'anyOf': {
      // controller-gen's int-or-string: [{type: integer}, {type: string}].
      const branches = error.schema as JsonSchema[];
      const types = branches.map((branch) => branch.type);
      if (branches.every((branch) => Object.keys(branch).length === 1 && typeof branch.type === 'string')) return `${where}: must be ${types.join(' or ')}`;
      return `${where}: ${error.message ?? error.keyword}`;
    }
    case 'enum':
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

/** Ajv's errors, without those of the branches of an anyOf/oneOf that failed as a whole (it is reported itself). */
function problemsOf(errors: readonly ErrorObject[]): string[] {
  const failedJunctions = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  return errors
    .filter((error) => !failedJunctions.some((junction) => junction !== error && error.schemaPath.startsWith(`${junction.schemaPath}/`)))
    .map(describeError);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/** Whether the document is a custom resource (its API group is not one the API server serves itself). */
export function isCustomResource(document: object): boolean {
  const apiVersion = (document as { apiVersion?: unknown }).apiVersion;
  return typeof apiVersion !== 'string' || !BUILT_IN_API_GROUPS.has(groupOf(apiVersion));
}

/**
 * Validates every custom resource among `documents` against its CRD version's schema; built-in kinds are left
 * to kubernetes-validate. Returns the problems, one line each, naming the object and the field; empty when all
 * are valid. A custom resource whose group, kind or served version has no fetched CRD is a problem too, so
 * nothing passes unchecked.
 */
export function validateCustomResources(documents: readonly object[]): string[] {
  const problems: string[] = [];
  documents.forEach((document, index) => {
    const { apiVersion, kind, metadata } = document as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      problems.push(`document ${index + 1}: no apiVersion and kind`);
      return;
    }
    const group = groupOf(apiVersion);
    if (BUILT_IN_API_GROUPS.has(group)) return;
    const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
    const { name, namespace } = isObject(metadata) ? metadata : ({} as Record<string, unknown>);
    const label = `${kind} ${typeof namespace === 'string' ? `${namespace}/` : ''}${typeof name === 'string' ? name : '(no name)'} (${apiVersion})`;
    const kinds = kindsOf(group);
    if (!kinds) {
      problems.push(`${label}: no CRD for API group ${group} in .tools/crds (it has ${knownGroups().join(', ')}); add its source to scripts/install-tools.sh`);
      return;
    }
    const known = kinds.get(kind);
    if (!known) {
      problems.push(`${label}: no CRD for kind ${kind} in API group ${group} (it has ${[...kinds.keys()].sort().join(', ')})`);
      return;
    }
    const schema = known.versions.get(version);
    if (!schema) {
      problems.push(`${label}: ${kind} is served as ${[...known.versions.keys()].join(', ')}, not ${version} (${known.file})`);
      return;
    }
    let validate = known.compiled.get(version);
    if (!validate) {
      try {
        validate = ajv.compile(resourceSchema(schema, `${group}/${version} ${kind}`));
      } catch (error) {
        // Reported, not thrown: the other documents are still checked, and this one does not pass unchecked.
        problems.push(`${label}: cannot check: the schema in ${known.file} does not compile: ${(error as Error).message}`);
        return;
      }
      known.compiled.set(version, validate);
    }
    if (!validate(document)) problems.push(...problemsOf(validate.errors ?? []).map((problem) => `${label}: ${problem}`));
  });
  return problems;
}
