import { existsSync } from 'node:fs';

/**
 * Imported by every entry point right after the Node check, before the configuration is read: a
 * `.env` file in the working directory fills in the variables the environment does not already
 * set (Node's own loader, which never overrides a set variable; docs/configuration.md §1). Test
 * processes (`NODE_ENV=test`) get their whole environment from the test and skip it.
 */
export const ENV_FILE = '.env';

if (process.env.NODE_ENV !== 'test' && existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);
