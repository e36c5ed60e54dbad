// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.harness/**', 'test-results/**', '**/*.js', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.test.json', './src/webview-ui/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error'],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Pure code: runs in plain Node (unit tests, the lazily loaded client) and in the webview.
    files: [
      'src/api/**/*.ts',
      'src/shared/**/*.ts',
      'src/prompts/**/*.ts',
      'src/client/buildRequest.ts',
      'src/util/rangeTracking.ts',
      'src/util/redact.ts',
      'src/chat/conversation.ts',
      'src/webview/html.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'This module is pure (plain Node or the browser): no vscode import.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'esbuild.js', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-console': 'off',
    },
  },
);
