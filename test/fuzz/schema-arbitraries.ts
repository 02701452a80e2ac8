// fast-check arbitraries from the JSON Schemas (2020-12) of an OpenAPI 3.1 document: values that
// satisfy a schema, and values shaped like it but wrong in one place (a wrong type, a bound
// crossed, a required property missing, an unknown one added). No npm package maps JSON Schema to
// shrinkable fast-check arbitraries with such "near miss" values (json-schema-faker and the
// OpenAPI samplers make valid examples only), so the small subset the services' documents use is
// handled here: $ref, type (and type lists), const, enum, string bounds and formats, integer and
// number bounds, objects, arrays.
import fc from 'fast-check';
import type { JsonSchema } from '@testbed/service-kit';

export type Components = Readonly<Record<string, JsonSchema>>;

/** Characters that trip up text handling: whitespace of every kind, NUL, astral and lone surrogates, combining marks, RTL. */
const TRICKY_CHARACTERS = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\u0000',
  '\u001b',
  '\u007f',
  'é',
  'e\u0301',
  '😀',
  '👩‍👩‍👧',
  '\ud800',
  '\udfff',
  '\u202e',
  'ß',
  'İ',
  '"',
  '\\',
  "'",
  '<',
  '%',
  '/',
];

/** Strings of any code units, biased towards the tricky ones; `maxLength` counts code units of the arbitrary, not of the result. */
export const trickyString = (options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.constantFrom(...TRICKY_CHARACTERS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    ),
    minLength: options.minLength ?? 0,
    maxLength: options.maxLength ?? 40,
  });

/** Any JSON value, small. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** Follows `$ref: '#/components/schemas/Name'` (possibly several) to the schema itself. */
export function resolveSchema(schema: JsonSchema, components: Components): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 10; hops += 1) {
    const name = current['$ref'].replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) throw new Error(`unresolved $ref ${String(current['$ref'])}`);
    current = target;
  }
  return current;
}

const typesOf = (schema: JsonSchema): string[] => {
  const type = schema['type'];
  if (Array.isArray(type)) return type as string[];
  if (typeof type === 'string') return [type];
  if ('const' in schema || 'enum' in schema) return [];
  return ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
};

const num = (schema: JsonSchema, key: string): number | undefined => (typeof schema[key] === 'number' ? schema[key] : undefined);

/** Values that satisfy `schema` (within the subset above). */
export function validValue(schema: JsonSchema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema, components);
  if ('const' in resolved) return fc.constant(resolved['const']);
  if (Array.isArray(resolved['enum'])) return fc.constantFrom(...(resolved['enum'] as unknown[]));
  const choices = typesOf(resolved).map((type) => validOfType(type, resolved, components, depth));
  return choices.length === 1 ? choices[0]! : fc.oneof(...choices);
}

function validOfType(type: string, schema: JsonSchema, components: Components, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: num(schema, 'minimum') ?? -1_000_000, max: num(schema, 'maximum') ?? 1_000_000 });
    case 'number':
      return fc.double({ min: num(schema, 'minimum') ?? -1e6, max: num(schema, 'maximum') ?? 1e6, noNaN: true });
    case 'string':
      return validString(schema);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(validValue((schema['items'] as JsonSchema | undefined) ?? {}, components, depth + 1), { maxLength: 3 });
    case 'object':
      return validObject(schema, components, depth);
    default:
      return anyJson;
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema['format']) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2100-01-01') }).map((d) => d.toISOString());
    default: {
      const minLength = num(schema, 'minLength') ?? 0;
      const maxLength = Math.min(num(schema, 'maxLength') ?? 60, 60);
      // Mostly visible text (descriptions often say "after trimming"), sometimes tricky characters.
      return fc
        .oneof(
          { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(minLength, 1), maxLength: Math.max(maxLength, minLength, 1) }) },
          { weight: 1, arbitrary: trickyString({ minLength, maxLength: Math.max(maxLength, minLength) }) },
        )
        .filter((s) => s.length >= minLength && s.length <= (num(schema, 'maxLength') ?? Infinity));
    }
  }
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema['properties'] as Record<string, JsonSchema> | undefined) ?? {};
}

function requiredOf(schema: JsonSchema): string[] {
  return (schema['required'] as string[] | undefined) ?? [];
}

function validObject(schema: JsonSchema, components: Components, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = propertiesOf(schema);
  if (Object.keys(properties).length === 0) return depth > 3 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) record[name] = validValue(property, components, depth + 1);
  const required = requiredOf(schema);
  return fc.record(record, { requiredKeys: required.filter((name) => name in record) });
}

/** A value of a JSON type other than every type in `types`. */
function otherTypeValue(types: readonly string[]): fc.Arbitrary<unknown> {
  const byType: Record<string, fc.Arbitrary<unknown>> = {
    null: fc.constant(null),
    boolean: fc.boolean(),
    number: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.5, -0, 1e308)),
    string: trickyString(),
    array: fc.array(anyJson, { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 6 }), anyJson, { maxKeys: 3 }),
  };
  const excluded = new Set(types.flatMap((t) => (t === 'integer' ? ['integer'] : [t])));
  const choices = Object.entries(byType)
    .filter(([type]) => !excluded.has(type) && !(type === 'number' && excluded.has('number')))
    .map(([, arbitrary]) => arbitrary);
  return choices.length > 0 ? fc.oneof(...choices) : fc.constant(Symbol.for('no-json-type'));
}

/**
 * Values shaped like `schema` but wrong in one place: the type, a bound crossed by a little or a
 * lot, a format broken, a required property missing, an unknown property, or (recursively) one
 * property wrong. A value the schema happens to accept may come out too: the property under
 * test must hold for every answer anyway.
 */
export function nearMissValue(schema: JsonSchema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema, components);
  const types = typesOf(resolved);
  const misses: fc.Arbitrary<unknown>[] = [otherTypeValue(types)];
  if ('const' in resolved || Array.isArray(resolved['enum'])) misses.push(trickyString());
  if (types.includes('string')) {
    const minLength = num(resolved, 'minLength');
    const maxLength = num(resolved, 'maxLength');
    misses.push(fc.constantFrom('', ' ', '\u0000', '\t\n', '\u200b'));
    if (minLength !== undefined && minLength > 0) misses.push(fc.string({ maxLength: minLength - 1 }));
    misses.push(
      fc
        .integer({ min: (maxLength ?? 1_000) + 1, max: (maxLength ?? 1_000) + 4_000 })
        .chain((length) => fc.constantFrom('a', 'é', '😀', ' ').map((unit) => unit.repeat(length))),
    );
    if (resolved['format'] === 'uuid') misses.push(fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g', `${'0'.repeat(36)}`));
    if (resolved['format'] === 'date-time') misses.push(fc.constantFrom('2024-13-40T25:61:61Z', 'yesterday', '0'));
  }
  if (types.includes('integer') || types.includes('number')) {
    const minimum = num(resolved, 'minimum');
    const maximum = num(resolved, 'maximum');
    misses.push(fc.constantFrom(-1, 0, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e21, Number.MAX_VALUE));
    if (minimum !== undefined) misses.push(fc.integer({ min: minimum - 1_000, max: minimum - 1 }));
    if (maximum !== undefined) misses.push(fc.integer({ min: maximum + 1, max: maximum + 1_000 }));
  }
  if (types.includes('object') && depth <= 3) {
    const properties = propertiesOf(resolved);
    const names = Object.keys(properties);
    const valid = validObject(resolved, components, depth);
    const required = requiredOf(resolved);
    if (required.length > 0) {
      misses.push(fc.tuple(valid, fc.constantFrom(...required)).map(([value, name]) => omit(value, name)));
    }
    misses.push(
      fc
        .tuple(valid, fc.constantFrom('__proto__', 'constructor', 'extra', 'authorUid', 'uid', ''), anyJson)
        .map(([value, name, extra]) => withOwnProperty(value, name, extra)),
    );
    if (names.length > 0) {
      misses.push(
        fc
          .constantFrom(...names)
          .chain((name) => fc.tuple(valid, fc.constant(name), nearMissValue(properties[name]!, components, depth + 1)))
          .map(([value, name, wrong]) => ({ ...value, [name]: wrong })),
      );
    }
  }
  if (types.includes('array') && depth <= 3) {
    misses.push(fc.array(nearMissValue((resolved['items'] as JsonSchema | undefined) ?? {}, components, depth + 1), { minLength: 1, maxLength: 3 }));
  }
  return fc.oneof(...misses);
}

/** Sets `name` as an own enumerable property, so JSON.stringify writes it even when it is `__proto__`. */
function withOwnProperty(value: Record<string, unknown>, name: string, extra: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, name, { value: extra, enumerable: true, writable: true, configurable: true });
  return copy;
}

function omit(value: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[name];
  return copy;
}
