// Validates rendered objects: built-in kinds with kubernetes-models (types, enums, required fields,
// quantities) plus a strict unknown-field pass over the same library's type declarations (its
// validators accept misspelled fields); custom resources with the vendored upstream CRD schemas,
// closed the way the API server's strict field validation closes them.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import ts from 'typescript';
import { REPO_ROOT, type K8sObject } from './render.js';

// The package exports ESM entry points only; its files are read from the root devDependency.
const MODELS_ROOT = realpathSync(join(REPO_ROOT, 'node_modules', 'kubernetes-models'));
const CRD_DIR = join(import.meta.dirname, 'crd-schemas');

/** `apps/v1` → `apps/v1`, `v1` → `v1`: kubernetes-models lays out one folder per group/version. */
const modelPath = (apiVersion: string, kind: string) => join(MODELS_ROOT, ...apiVersion.split('/'), kind);

interface ModelInstance {
  validate(): void;
}
type ModelClass = new (data: unknown) => ModelInstance;

/** Problems kubernetes-models' validator finds in a built-in object, or undefined when it has no model. */
export async function validateBuiltIn(object: K8sObject): Promise<string[] | undefined> {
  let module: Record<string, unknown>;
  try {
    module = (await import(`${modelPath(object.apiVersion, object.kind)}.js`)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const Model = module[object.kind] as ModelClass | undefined;
  if (!Model) return undefined;
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

let checker: ts.TypeChecker | undefined;
let program: ts.Program | undefined;
const rootTypes = new Map<string, ts.Type | undefined>();
const programFiles = new Set(
  [
    'v1/Namespace',
    'v1/ConfigMap',
    'v1/Secret',
    'v1/Service',
    'v1/ServiceAccount',
    'apps/v1/Deployment',
    'apps/v1/StatefulSet',
    'batch/v1/Job',
    'policy/v1/PodDisruptionBudget',
    'autoscaling/v2/HorizontalPodAutoscaler',
    'networking.k8s.io/v1/NetworkPolicy',
  ].map((p) => `${join(MODELS_ROOT, ...p.split('/'))}.d.ts`),
);

/** The `I<Kind>` interface that kubernetes-models declares for a built-in kind. */
function declaredType(apiVersion: string, kind: string): ts.Type | undefined {
  const file = `${modelPath(apiVersion, kind)}.d.ts`;
  if (rootTypes.has(file)) return rootTypes.get(file);
  if (!existsSync(file)) return undefined;
  // One program for the kinds the manifests use (a new kind widens it): they share most imports, and
  // loading every declaration of the library would take far longer.
  if (!program || !program.getSourceFile(file)) {
    programFiles.add(file);
    program = ts.createProgram([...programFiles], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    checker = program.getTypeChecker();
    rootTypes.clear();
  }
  const source = program.getSourceFile(file);
  const symbol = source && checker!.getSymbolAtLocation(source);
  const exported = symbol && checker!.getExportsOfModule(symbol).find((s) => s.name === `I${kind}`);
  const type = exported && checker!.getDeclaredTypeOfSymbol(exported);
  rootTypes.set(file, type);
  return type;
}

function unknownFields(value: unknown, type: ts.Type, path: string, problems: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const c = checker!;
  const candidates = (type.isUnion() ? type.types : [type]).filter((t) => (t.flags & ts.TypeFlags.Object) !== 0);
  if (Array.isArray(value)) {
    const arrayType = candidates.find((t) => c.isArrayType(t));
    const element = arrayType && c.getTypeArguments(arrayType as ts.TypeReference)[0];
    if (element) value.forEach((item, i) => unknownFields(item, element, `${path}[${i}]`, problems));
    return;
  }
  const objectType = candidates.find((t) => !c.isArrayType(t));
  if (!objectType) return;
  const index = c.getIndexTypeOfType(objectType, ts.IndexKind.String);
  const properties = c.getPropertiesOfType(objectType);
  if (properties.length === 0 && !index) return;
  for (const [field, child] of Object.entries(value)) {
    const property = objectType.getProperty(field);
    if (property) unknownFields(child, c.getNonNullableType(c.getTypeOfSymbol(property)), `${path}.${field}`, problems);
    else if (index) unknownFields(child, index, `${path}.${field}`, problems);
    else problems.push(`${path}.${field}: unknown field`);
  }
}

/**
 * Fields of a built-in object that its kind does not declare (misspellings, wrong nesting), as the
 * API server's strict field validation would reject them. Undefined when the kind has no model.
 */
export function unknownBuiltInFields(object: K8sObject): string[] | undefined {
  const type = declaredType(object.apiVersion, object.kind);
  if (!type) return undefined;
  const problems: string[] = [];
  unknownFields(object, type, '', problems);
  return problems;
}

type JsonSchema = { [k: string]: unknown };

/** Adds additionalProperties: false to every object schema with declared properties (not metadata, not preserve-unknown islands). */
function closeObjects(node: unknown, isRoot = true): void {
  if (Array.isArray(node)) return node.forEach((n) => closeObjects(n, false));
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  if (schema['properties'] && schema['additionalProperties'] === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    schema['additionalProperties'] = false;
  }
  for (const [k, child] of Object.entries(schema)) {
    if (k === 'properties' && isRoot) {
      for (const [field, sub] of Object.entries(child as JsonSchema)) if (field !== 'metadata') closeObjects(sub, false);
    } else if (k !== 'x-provenance') {
      closeObjects(child, false);
    }
  }
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let ajv: Ajv | undefined;
const crdValidators = new Map<string, ValidateFunction>();

/** Problems in a custom resource against its vendored CRD schema, or undefined when none is vendored. */
export function validateCustomResource(object: K8sObject): string[] | undefined {
  const [group, version] = object.apiVersion.split('/');
  const id = `${group}_${version}_${object.kind}`;
  let validate = crdValidators.get(id);
  if (!validate) {
    let schema: JsonSchema;
    try {
      schema = JSON.parse(readFileSync(join(CRD_DIR, `${id}.json`), 'utf8')) as JsonSchema;
    } catch {
      return undefined;
    }
    closeObjects(schema);
    delete schema['$schema'];
    ajv ??= addFormats(new Ajv({ strict: false, allErrors: true }));
    validate = ajv.compile(schema);
    crdValidators.set(id, validate);
  }
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) =>
    e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params['additionalProperty'])}: unknown field` : `${e.instancePath}: ${e.message}`,
  );
}
