import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'protos/gen/', '**/coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@testbed/*/src/*', '@testbed/*/dist/*', '@testbed/*/gen/*'],
              message: 'Import workspace packages through their exports entry point.',
            },
            {
              group: ['../../*/src/*', '../../../services/*'],
              message: 'Services never import each other: talk through protos, HTTP and events.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', '.ci/**', 'test/**', '**/*.test.ts', '**/test/**'],
    rules: { 'no-console': 'off' },
  },
);
