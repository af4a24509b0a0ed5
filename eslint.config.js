import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'clients/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // House limits: a function reads on one screen and has few paths through it. Tests (a describe
  // block is one long function), migrations (one SQL script each) and the demo seed (a script of
  // data) are outside them.
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'src/database/migrations/**', 'src/demo/seed.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60 }],
      complexity: ['error', 15],
    },
  },
  { files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'], rules: { 'no-console': 'off' } },
  { files: ['**/*.mjs'], languageOptions: { globals: globals.node } },
);
