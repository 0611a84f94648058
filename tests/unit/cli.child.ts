/**
 * The `warmnet` command as one file for tests that start it many times
 * (import-crash.test.ts bundles it with esbuild: no TypeScript loader per start).
 */
import { main } from '../../electron/cli';

process.exitCode = await main(process.argv.slice(2));
