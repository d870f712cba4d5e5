import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
      // Tools handed to people outside the project: plain JavaScript, linted like the rest.
      '!tools/**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // Nest injects by the classes named in constructors and validates by DTO classes: with
    // these set, consistent-type-imports knows those imports are needed at run time.
    languageOptions: {
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Standalone Node scripts (tools/): ES modules on Node's globals, talking to a terminal.
    files: ['tools/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' },
    },
    rules: { 'no-console': 'off' },
  },
  {
    // Benchmarks and the CLI talk to a terminal; tests may print why they did not run.
    files: ['bench/**/*.ts', 'apps/cli/**/*.ts', '**/*.spec.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
