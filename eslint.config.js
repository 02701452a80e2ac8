import js from '@eslint/js';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/** Import rules for every file: workspace packages through their entry point, services never import each other. */
const workspaceImportPatterns = [
  {
    group: ['@testbed/*/src/*', '@testbed/*/dist/*', '@testbed/*/gen/*'],
    message: 'Import workspace packages through their exports entry point.',
  },
  {
    group: ['../../*/src/*', '../../../services/*'],
    message: 'Services never import each other: talk through protos, HTTP and events.',
  },
];

/**
 * What `src/domain/` must not import (docs: STYLE.md "Boundaries"): transports, drivers and adapters. The domain
 * owns the interfaces (ports) that adapters implement; http, grpc and consumers call into it, never the reverse.
 * test/lint-boundaries.test.ts proves that this still fires.
 */
const domainImportPatterns = [
  {
    group: ['express', 'express/*', '@grpc/*', '@nats-io/*', 'mysql2', 'mysql2/*', 'ioredis', 'ioredis/*', 'firebase-admin', 'firebase-admin/*'],
    message: 'Domain code is transport- and driver-neutral: depend on a port (interface) the domain owns.',
  },
  {
    regex: '(^|/)adapters(/|$)',
    message: 'The domain never imports adapters: adapters implement the domain’s ports, not the other way round.',
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'protos/gen/', '**/coverage/', '.test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/recommended'],
  {
    // Type-aware rules: each file's type information comes from the tsconfig.json nearest to it, the same one
    // `pnpm typecheck` checks (test/typecheck-coverage.test.ts keeps every file inside one).
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
  },
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
      // A `default:` is a decision (e.g. every other gRPC status is `internal`); a switch without one must name every member.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Fakes and in-memory adapters implement async ports with `async` methods that do not await, so a throw
      // rejects as the real adapter's would; the rule would have them return Promise.resolve() and throw synchronously.
      '@typescript-eslint/require-await': 'off',
      // Passing on a caught value (`catch (e) { reject(e) }`, a callback's `error`) is not inventing a non-Error.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          // pino serializes an Error at `err` with its type, stack and cause; a string keeps none of them.
          selector:
            "Property[key.name='err'] > :matches(MemberExpression[property.name='message'], ConditionalExpression, TemplateLiteral, CallExpression[callee.name=/^(String|errorMessage)$/])",
          message: 'Log the error object (`{ err: error }`), never its message: the stack and cause would be lost.',
        },
        {
          // One way to wait: Node's promise timer, not a hand-rolled Promise around setTimeout in every file.
          selector:
            "NewExpression[callee.name='Promise'] > ArrowFunctionExpression[params.length=1] > CallExpression[callee.name='setTimeout'][arguments.0.type='Identifier']",
          message:
            "Wait with `import { setTimeout as sleep } from 'node:timers/promises'` (or the kit's waitFor to poll), not a Promise wrapped around setTimeout.",
        },
      ],
      'no-restricted-imports': ['error', { patterns: workspaceImportPatterns }],
    },
  },
  {
    files: ['services/*/src/domain/**'],
    // A unit test beside domain code wires it to the in-memory adapters, as a composition root does.
    ignores: ['**/*.test.ts'],
    // A later entry replaces the rule's options, so the workspace patterns are repeated here.
    rules: { 'no-restricted-imports': ['error', { patterns: [...workspaceImportPatterns, ...domainImportPatterns] }] },
  },
  {
    files: ['scripts/**', '.ci/**', '.tekton/scripts/**', 'test/**', '**/*.test.ts', '**/test/**', 'frontend/e2e/**', 'frontend/scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**', 'frontend/e2e/**', 'test/**'],
    rules: {
      // `expect(fake.method).toHaveBeenCalled()` reads a vi.fn() off its object; that is how Vitest asserts calls.
      '@typescript-eslint/unbound-method': 'off',
      // Test probes read untyped data on purpose: supertest's `res.body`, `JSON.parse` of a response, YAML
      // manifests parsed to `unknown` shapes in test/cicd. A wrong guess fails the assertion that follows,
      // which is the test doing its job. TODO(issue 12): type the test/cicd YAML probes and switch these back on.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (this file, Node scripts) has no tsconfig giving it type information; after the rule
    // settings above, so that none of them switches a type-aware rule back on here.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // Layout is Prettier's job (`pnpm format`); this turns off every ESLint and Vue rule that would fight it.
  eslintConfigPrettier,
);
