/** Reading provider JSON without trusting its shape. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** A non-empty string member, else null. */
export function stringField(value: unknown, key: string): string | null {
  const member = field(value, key);
  return typeof member === 'string' && member.length > 0 ? member : null;
}
