import { DomainError, ValidationError } from '../errors/domain-error';

/** Parses a request body under the rules of docs/api.md §1.2. */
export function parseBody(body: Buffer, contentType: string | undefined): Record<string, unknown> | DomainError {
  const text = body.toString('utf8');
  if (text.trim().length === 0) return {};
  if (!contentType || !/^application\/(.+\+)?json\s*(;|$)/i.test(contentType.trim())) {
    return new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new ValidationError([], 'Malformed JSON body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return new ValidationError([], 'The JSON body must be an object');
  }
  const problem = findUnusableValue(parsed);
  if (problem) return ValidationError.field(problem.field || 'body', problem.message);
  return parsed as Record<string, unknown>;
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** No documented body nests deeper than a few levels; deeper ones would overflow recursive consumers. */
export const MAX_JSON_DEPTH = 32;

interface Node {
  value: unknown;
  depth: number;
  parent: Node | null;
  key: string;
}

function pathOf(node: Node): string {
  const keys: string[] = [];
  for (let current: Node | null = node; current?.parent; current = current.parent) keys.unshift(current.key);
  return keys.join('.');
}

/**
 * The first string PostgreSQL cannot store (U+0000, unpaired surrogates), in a value or a key, or
 * a nesting deeper than MAX_JSON_DEPTH. Iterative, so no body can exhaust the call stack.
 */
function findUnusableValue(root: object): { field: string; message: string } | undefined {
  const stack: Node[] = [{ value: root, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (typeof node.value === 'string') {
      if (UNSTORABLE.test(node.value))
        return { field: pathOf(node), message: 'must not contain U+0000 or unpaired surrogates' };
      continue;
    }
    if (typeof node.value !== 'object' || node.value === null) continue;
    if (node.depth >= MAX_JSON_DEPTH)
      return { field: pathOf(node), message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` };
    const children = Object.entries(node.value);
    for (let index = children.length - 1; index >= 0; index--) {
      const [key, value] = children[index];
      const child: Node = { value, depth: node.depth + 1, parent: node, key };
      if (UNSTORABLE.test(key))
        return { field: pathOf(child), message: 'must not contain U+0000 or unpaired surrogates' };
      stack.push(child);
    }
  }
  return undefined;
}
