import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { RequestContext } from '@app/core/context/request-context';

/** One statement a request sent: its text and, for a named (prepared) statement, its name. */
export interface TracedStatement {
  text: string;
  name: string | null;
}

/**
 * Records every statement the API's pool sends, per request id (the request's AsyncLocalStorage
 * context is current when the statement is sent): a statement trace like `log_statement = all`,
 * but attributed to one request even while background work shares the pool.
 */
export class StatementTrace {
  private readonly byRequest = new Map<string, TracedStatement[]>();
  private readonly wrapped = new WeakSet<PoolClient>();

  constructor(dataSource: DataSource) {
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    pool.on('acquire', (client) => this.wrap(client));
  }

  /** The statements of the request whose `X-Request-ID` is `requestId`, in the order sent. */
  of(requestId: string): TracedStatement[] {
    return this.byRequest.get(requestId) ?? [];
  }

  /** How many of them ended a transaction with COMMIT. */
  commitsOf(requestId: string): number {
    return this.of(requestId).filter((statement) => /^\s*COMMIT\b/i.test(statement.text)).length;
  }

  private wrap(client: PoolClient): void {
    if (this.wrapped.has(client)) return;
    this.wrapped.add(client);
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    const record = (config: unknown): void => {
      const requestId = RequestContext.requestId();
      if (requestId === null) return;
      const statement =
        typeof config === 'string'
          ? { text: config, name: null }
          : { text: (config as QueryConfig).text, name: (config as QueryConfig).name ?? null };
      this.byRequest.set(requestId, [...this.of(requestId), statement]);
    };
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      record(args[0]);
      return original(...args);
    };
  }
}
