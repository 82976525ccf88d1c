/** The part of autocannon's API the bench uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  function autocannon(
    options: autocannon.AutocannonOptions,
    callback: (error: Error | null, result: autocannon.AutocannonResult) => void,
  ): autocannon.AutocannonInstance;

  namespace autocannon {
    interface AutocannonRequest {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
    }

    interface AutocannonOptions {
      url: string;
      connections: number;
      duration: number;
      timeout?: number;
      requests?: AutocannonRequest[];
    }

    interface AutocannonResult {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      requests: { total: number };
    }

    interface AutocannonInstance extends EventEmitter {
      on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
      on(event: 'reqError', listener: (error: Error) => void): this;
    }
  }

  export = autocannon;
}
