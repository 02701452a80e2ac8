import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'protos/gen/', '**/coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
    // Template layout is a formatter's job; keep the rules that catch mistakes.
    rules: {
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/first-attribute-linebreak': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    files: ['frontend/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          // pino serializes an Error at `err` with its type, stack and cause; a string keeps none of them.
          selector:
            "Property[key.name='err'] > :matches(MemberExpression[property.name='message'], ConditionalExpression, TemplateLiteral, CallExpression[callee.name=/^(String|errorMessage)$/])",
          message: 'Log the error object (`{ err: error }`), never its message: the stack and cause would be lost.',
        },
      ],
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
    files: ['scripts/**', '.ci/**', '.tekton/scripts/**', 'test/**', '**/*.test.ts', '**/test/**', 'frontend/e2e/**', 'frontend/scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
