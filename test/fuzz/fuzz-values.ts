import { randomUUID } from 'node:crypto';
import fc, { Arbitrary } from 'fast-check';

/**
 * Value generators for the fuzz suite: for every kind of field a valid value and a spread of
 * hostile ones (wrong types, nulls, bounds, huge and unicode strings, SQL- and script-like text,
 * malformed ids), mixed so that most requests are rejected and some are valid.
 */

/** One field of a request body, as docs/api.md documents it. */
export type FieldSpec =
  | { kind: 'text'; max: number; min?: number }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'uuid'; ids: () => string[] }
  | { kind: 'timestamp' }
  | { kind: 'url' }
  | { kind: 'email' }
  | { kind: 'constant'; values: readonly unknown[] }
  | { kind: 'object'; fields: Record<string, FieldSpec> }
  | { kind: 'array'; item: FieldSpec; max: number };

export type BodySpec = Record<string, FieldSpec>;

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE task_instances; --",
  '1; SELECT pg_sleep(5)',
  "admin'--",
  '" OR ""="',
  "') UNION SELECT id, email FROM users --",
  '$1',
  '%',
  '_',
  '\\',
];
const SCRIPT = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '../../../../etc/passwd',
  '%00',
  '\u202e\u0000',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
];
const UNICODE = ['🙂🙃', 'Ω≈ç√∫', '\u200b', 'ü'.normalize('NFD'), '𝕏'.repeat(201), 'ﷺ'.repeat(50), '\ud83d', '\udc00x'];
const WHITESPACE = ['', ' ', '   ', '\t\n', '\u00a0', '\u3000'];

/** Strings that are hard on parsers, validators and storage. */
export const nastyString: Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL, ...SCRIPT, ...UNICODE, ...WHITESPACE),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1, max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => '😀'.repeat(n)),
);

const MALFORMED_IDS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000',
  '00000000-0000-0000-0000-0000000000000',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000000000000000000000000000',
  '1',
  '-1',
  '0',
  'null',
  'undefined',
  'true',
  "1' OR '1'='1",
  '%2e%2e%2f',
  '..',
  'a'.repeat(300),
];

/** Well-formed ids that match nothing, or match in odd spellings. */
const FOREIGN_IDS: Arbitrary<string> = fc.oneof(
  fc.constant('00000000-0000-0000-0000-000000000000'),
  fc.constant('ffffffff-ffff-ffff-ffff-ffffffffffff'),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.constant(null).map(() => randomUUID()),
);

/** An id: one the test knows (own or another user's), unknown, upper-cased or malformed. */
export function idValue(known: () => string[]): Arbitrary<string> {
  const pick = fc.nat().map((n) => {
    const ids = known();
    return ids.length ? ids[n % ids.length] : randomUUID();
  });
  return fc.oneof(
    { weight: 5, arbitrary: pick },
    { weight: 1, arbitrary: pick.map((id) => id.toUpperCase()) },
    { weight: 2, arbitrary: FOREIGN_IDS },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_IDS) },
    { weight: 1, arbitrary: nastyString },
  );
}

const numberEdge = (min: number, max: number): Arbitrary<number> =>
  fc.constantFrom(
    min,
    max,
    min - 1,
    max + 1,
    0,
    -1,
    -0,
    0.5,
    max + 0.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_VALUE,
    1e308,
    5e-324,
  );

/** Any JSON value of the wrong shape. */
export const wrongType: Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  nastyString,
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.integer(), nastyString, fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), nastyString), { maxKeys: 3 }),
  fc.constant({ $gt: '' }),
);

function validTimestamp(): Arbitrary<string> {
  return fc
    .integer({ min: -40 * 86_400, max: 40 * 86_400 })
    .map((seconds) => new Date(Date.now() + seconds * 1000).toISOString());
}

const badTimestamps = fc.constantFrom(
  '2026-01-19',
  '2026-13-45T99:99:99Z',
  'yesterday',
  '0000-00-00T00:00:00Z',
  '275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00Z',
  '2026-01-19T10:30:00.123456789+14:00',
  '2026-01-19T10:30:00',
  '1970-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '',
  'NaN',
  '2026-02-30T10:00:00Z',
);

const badUrls = fc.constantFrom(
  'not a url',
  'ftp://example.com/x',
  'javascript:alert(1)',
  'http://',
  'https://' + 'a'.repeat(2100) + '.com',
  'http://127.0.0.1:1/x',
  'http://[::1]/x',
  'file:///etc/passwd',
  'https://user:pass@example.com/x',
  '//example.com',
);

/** A valid value for a field spec. */
export function validValue(spec: FieldSpec): Arbitrary<unknown> {
  switch (spec.kind) {
    case 'text':
      return fc
        .string({ unit: 'grapheme', minLength: Math.max(spec.min ?? 1, 1), maxLength: Math.min(spec.max, 60) })
        .map((s) => (s.trim() ? s : 'x'));
    case 'int':
      return fc.integer({ min: spec.min, max: spec.max });
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...spec.values);
    case 'uuid':
      return idValue(spec.ids);
    case 'timestamp':
      return validTimestamp();
    case 'url':
      return fc.webUrl({ validSchemes: ['https', 'http'] });
    case 'email':
      return fc.emailAddress();
    case 'constant':
      return fc.constantFrom(...spec.values);
    case 'object':
      return bodyValue(spec.fields, 3);
    case 'array':
      return fc.array(fieldValue(spec.item), { maxLength: spec.max });
  }
}

/** An invalid value for a field spec (occasionally valid by chance). */
export function invalidValue(spec: FieldSpec): Arbitrary<unknown> {
  const specific: Array<Arbitrary<unknown>> = [wrongType];
  switch (spec.kind) {
    case 'text':
      specific.push(
        nastyString,
        fc.constant('y'.repeat(spec.max + 1)),
        fc.constant(' '.repeat(3) + 'z'.repeat(spec.max)),
      );
      break;
    case 'int':
      specific.push(numberEdge(spec.min, spec.max), fc.constantFrom(String(spec.min), '1e2', '0x10'));
      break;
    case 'enum':
      specific.push(fc.constantFrom(...spec.values.map((v) => v.toUpperCase()), 'unknown', ''), nastyString);
      break;
    case 'uuid':
      specific.push(fc.constantFrom(...MALFORMED_IDS));
      break;
    case 'timestamp':
      specific.push(badTimestamps, fc.integer());
      break;
    case 'url':
      specific.push(badUrls, nastyString);
      break;
    case 'email':
      specific.push(fc.constantFrom('a@', '@b.c', 'no-at', 'a'.repeat(250) + '@x.io', 'A@B'), nastyString);
      break;
    case 'array':
      specific.push(
        fc.array(wrongType, { maxLength: 5 }),
        fc.constant(Array.from({ length: spec.max + 1 }, () => ({}))),
        fc.constant(Array.from({ length: 5000 }, () => 1)),
      );
      break;
    case 'object':
      specific.push(fc.array(fc.integer(), { maxLength: 3 }));
      break;
    case 'bool':
      specific.push(fc.constantFrom('true', 'false', 1, 0, 'yes'));
      break;
    case 'constant':
      break;
  }
  return fc.oneof(...specific);
}

/** A field's value: valid most of the time, hostile otherwise. */
export function fieldValue(spec: FieldSpec): Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: validValue(spec) }, { weight: 2, arbitrary: invalidValue(spec) });
}

const extraKeys = fc.constantFrom(
  'id',
  'user_id',
  'created_at',
  'version',
  'tier',
  '__proto__',
  'constructor',
  'prototype',
  'isAdmin',
  '',
  '$where',
  'a'.repeat(500),
);

/** A body for a spec: each field omitted, valid or hostile, plus unknown and hostile keys. */
export function bodyValue(spec: BodySpec, depth = 0): Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(spec).map(([name, field]) =>
    fc.option(fieldValue(field), { nil: undefined, freq: 4 }).map((value) => [name, value] as const),
  );
  const extras =
    depth > 2
      ? fc.constant([] as Array<readonly [string, unknown]>)
      : fc.array(fc.tuple(fc.oneof(extraKeys, fc.string({ maxLength: 10 })), wrongType), { maxLength: 2 });
  return fc.tuple(fc.tuple(...fields), extras).map(([pairs, extra]) => {
    const body: Record<string, unknown> = {};
    for (const [name, value] of extra) Object.defineProperty(body, name, { value, enumerable: true, writable: true });
    for (const [name, value] of pairs) if (value !== undefined) body[name] = value;
    return body;
  });
}

/** Raw request bodies no JSON endpoint should accept: broken or non-object JSON, deep nesting, junk. */
export const rawBody: Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{"title": "x",}',
    "{'title': 'x'}",
    '[1,2,3]',
    '[]',
    'null',
    'true',
    '42',
    '"just a string"',
    '{"title":"\\u0000"}',
    '{"title":"\\ud800"}',
    '{"__proto__":{"admin":true},"title":"p"}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '\ufeff{"title":"bom"}',
    '{"title":"a","title":"b"}',
    'NaN',
  ),
  fc.integer({ min: 1000, max: 60_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1000, max: 60_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1000, max: 60_000 }).map((n) => `{"title":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
);

/** Bodies just under and over the 1 MiB limit. */
export const bigBody: Arbitrary<string> = fc.constantFrom(
  JSON.stringify({ title: 'x'.repeat(1024 * 1024) }),
  JSON.stringify({ content: 'y'.repeat(1024 * 1024 - 20) }),
  JSON.stringify({ items: Array.from({ length: 150_000 }, (_, i) => i) }),
);
