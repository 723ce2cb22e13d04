// Lint rules. Import boundaries between areas are checked by scripts/check-boundaries.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      // Mutable module-level state is a singleton in disguise: pass state in instead.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program > VariableDeclaration[kind="let"], Program > ExportNamedDeclaration > VariableDeclaration[kind="let"]',
          message: 'No module-level mutable state (docs/architecture.md, "Conventions": no singletons). Keep state in an instance.',
        },
      ],
    },
  },
  {
    // The pure pipeline: no clock, no timers, no process, no console.
    files: ['gateway/pipeline/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'gateway/pipeline is pure: take time as an argument.' },
        { name: 'setInterval', message: 'gateway/pipeline is pure: take time as an argument.' },
        { name: 'process', message: 'gateway/pipeline is pure: no process access.' },
        { name: 'performance', message: 'gateway/pipeline is pure: take time as an argument.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'gateway/pipeline is pure: the clock is injected.' },
      ],
    },
  },
  {
    // The dashboard runs in a browser: Node's globals do not exist there.
    files: ['cloud-sync/web/**/*.ts', 'cloud-sync/web/**/*.tsx'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'cloud-sync/web runs in a browser.' },
        { name: 'Buffer', message: 'cloud-sync/web runs in a browser: use Uint8Array / TextEncoder.' },
        { name: 'require', message: 'cloud-sync/web runs in a browser.' },
        { name: '__dirname', message: 'cloud-sync/web runs in a browser.' },
      ],
    },
  },
  {
    // Tests, scripts and command-line entry points may print and use plain JS.
    files: ['**/*.test.ts', 'scripts/**/*.ts', 'bin/**/*.js', '**/e2e/**/*.ts', 'eslint.config.js'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', URL: 'readonly', console: 'readonly' },
    },
  },
);
