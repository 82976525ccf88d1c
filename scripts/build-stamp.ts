import { join } from 'node:path';
import { writeBuildStamp } from '@app/core/process/build-stamp';

// The last step of `npm run build`: records what was compiled, so `npm run job` can refuse a stale dist/.
const root = join(__dirname, '..', '..');
writeBuildStamp(root, join(root, 'dist'));
