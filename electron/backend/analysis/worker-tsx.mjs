// Entry of the analysis worker when running from TypeScript sources (tests,
// browser mode, CLI): registers tsx in this thread, then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
