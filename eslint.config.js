// @ts-check
/**
 * Lint rules of the house plan (docs/ARCHITECTURE.md):
 * - core/ is pure: it imports nothing from electron/, renderer/, Electron or Node's built-ins;
 * - renderer/ reaches the backend only through the typed contract files (tests may use the real store);
 * - electron/ never imports the renderer;
 * - no floating promises, no `any` without a reason, and every eslint-disable says why.
 * `npm run lint` runs this and scripts/circles.mjs (no import circles, type-only ones included).
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import warmnet from './scripts/lint/plugin.mjs';

/** The renderer may import these backend files: the contract and the types it names. */
export const CONTRACT_FILES = [
  'electron/backend/contract',
  'electron/backend/*.contract',
  'electron/backend/export/contract',
  'electron/backend/export/exportContract',
];

/** Node-side modules that core/ may import for I/O adapters (none today: adapters live in electron/). */
export const CORE_IO_ADAPTERS = [];

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/*.spec.ts'];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'out/**', 'test-results/**', 'playwright-report/**', 'tests/artifacts/**', '.bench-tmp/**', '.electron-native/**', '.gl/**', '.whl/**', 'assets/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { warmnet },
    rules: { 'warmnet/disable-reason': 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./core/tsconfig.json', './tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      'no-irregular-whitespace': ['error', { skipTemplates: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    ignores: TESTS,
    rules: {
      'warmnet/boundaries': ['error', { forbidFolders: ['electron', 'renderer', 'tests', 'scripts'], forbidNodeBuiltins: true, forbidPackages: ['electron', 'better-sqlite3', 'pg', 'sharp', '@napi-rs/canvas', 'pdfkit', 'exceljs', 'react', 'maplibre-gl'], allow: CORE_IO_ADAPTERS }],
    },
  },
  {
    files: TESTS.map((t) => `core/${t}`),
    rules: { 'warmnet/boundaries': ['error', { forbidFolders: ['electron', 'renderer'] }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: TESTS,
    rules: { 'warmnet/boundaries': ['error', { forbidFolders: ['electron'], forbidPackages: ['electron', 'better-sqlite3', 'pg'], allow: CONTRACT_FILES }] },
  },
  {
    files: ['electron/**/*.ts'],
    rules: { 'warmnet/boundaries': ['error', { forbidFolders: ['renderer'] }] },
  },
);
