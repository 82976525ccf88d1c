import type { EntityManager } from 'typeorm';

/**
 * A named (prepared) statement: node-postgres parses and plans `text` once per connection under
 * `name`, then every later call only binds values (docs/round-trips.md §2).
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

export function namedStatement(name: string, text: string): NamedStatement {
  return { name, text };
}

/**
 * Runs a named statement through the manager's TypeORM query runner (its own outside a
 * transaction), which hands the query config to node-postgres as is; rows of a SELECT, or of an
 * INSERT/UPDATE … RETURNING.
 */
export async function runNamed<T>(manager: EntityManager, statement: NamedStatement, values: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
  try {
    // TypeORM types the query as text; node-postgres takes a { name, text } config in its place.
    const result = await runner.query(statement as unknown as string, values, true);
    return result.records as T[];
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/**
 * Writes that another statement may carry as its leading CTE clauses (docs/round-trips.md §6):
 * `ctes` is `name AS (…), …` over the parameters `$1`…`$n` of `values`; its text is the same for
 * every call under one `name`, so the statement that carries it can be a named one too.
 */
export interface StatementPart {
  readonly name: string;
  readonly ctes: string;
  readonly values: unknown[];
}

/** Runs a part on its own (outside a request, where no statement of the request carries it). */
export async function runPart(manager: EntityManager, part: StatementPart): Promise<void> {
  await runNamed(manager, namedStatement(part.name, `WITH ${part.ctes} SELECT 1`), part.values);
}
