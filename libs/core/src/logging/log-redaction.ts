/** What a redacted value is logged as. */
export const CENSOR = '[redacted]';

/** Credentials logged under these names are censored at the top of a line. */
const TOP_LEVEL_SECRETS = new Set(['access_token', 'refresh_token', 'id_token', 'token']);
/** …and these one level down, under any key (`{ body: { password } }`). */
const NESTED_SECRETS = new Set([...TOP_LEVEL_SECRETS, 'password', 'secret', 'apiKey', 'api_key']);
/** Request headers that are credentials, wherever a logged request carries its headers. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'cko-signature', 'idempotency-key']);

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` with its secret keys censored: a copy when one is present, `value` itself otherwise. */
function censorKeys<T>(value: T, secrets: ReadonlySet<string>): T {
  if (!isObject(value)) return value;
  let copy: Fields | undefined;
  for (const key in value) {
    if (secrets.has(key) && Object.prototype.hasOwnProperty.call(value, key)) {
      copy ??= { ...value };
      copy[key] = CENSOR;
    }
  }
  return (copy ?? value) as T;
}

/**
 * The redaction of every log line and every child logger's bindings: the top-level names of
 * TOP_LEVEL_SECRETS and the NESTED_SECRETS one level down are censored. Fields in `serialized`
 * are left to their serializer, whose output `redactSerialized` censors. The logged objects
 * are never changed: what needs censoring is copied. Built once, unlike pino's `redact` paths,
 * which it parses again for every field of every line.
 */
export function fieldsRedactor(serialized: readonly string[]): (fields: Fields) => Fields {
  const skipped = new Set(serialized);
  return (fields) => {
    let copy: Fields | undefined;
    for (const key in fields) {
      if (skipped.has(key) || !Object.prototype.hasOwnProperty.call(fields, key)) continue;
      const value = fields[key];
      const censored = TOP_LEVEL_SECRETS.has(key) ? CENSOR : censorKeys(value, NESTED_SECRETS);
      if (censored !== value) {
        copy ??= { ...fields };
        copy[key] = censored;
      }
    }
    return copy ?? fields;
  };
}

/** A serializer's output with the NESTED_SECRETS censored, and credential headers if it carries headers. */
export function redactSerialized<T>(value: T): T {
  const censored = censorKeys(value, NESTED_SECRETS);
  if (!isObject(censored) || !isObject(censored.headers)) return censored;
  const headers = censorKeys(censored.headers, SECRET_HEADERS);
  return (headers === censored.headers ? censored : { ...censored, headers }) as T;
}
