// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What each folder of src/ may import from the others ('constants' and 'services' are files at src/). */
const layers = {
  api: [],
  shared: [],
  prompts: [],
  context: [],
  'webview-ui': ['shared'],
  util: ['api', 'constants'],
  config: ['api', 'constants', 'util'],
  errors: ['api', 'config', 'constants', 'shared', 'util'],
  requests: ['api', 'config', 'constants', 'errors', 'util'],
  webview: ['constants', 'errors', 'shared', 'util'],
  selection: ['api', 'config', 'constants', 'errors', 'prompts', 'requests', 'services', 'shared', 'util'],
  statusBar: ['config', 'constants', 'requests', 'services', 'util'],
  edit: ['api', 'commands/registerCommand', 'config', 'constants', 'errors', 'prompts', 'requests', 'selection', 'services', 'util'],
  attachments: ['constants', 'selection/codeTarget', 'selection/problems', 'shared', 'util'],
  chat: ['api', 'attachments', 'commands/registerCommand', 'config', 'constants', 'context', 'errors', 'prompts', 'requests', 'selection/placement', 'services', 'shared', 'util', 'webview'],
  commands: ['api', 'attachments', 'chat', 'config', 'constants', 'context', 'edit', 'errors', 'prompts', 'requests', 'selection', 'services', 'shared', 'util'],
};
const pureFolders = new Set(['api', 'shared', 'prompts', 'context', 'webview-ui']);

function layerRules() {
  return Object.entries(layers).map(([folder, allowed]) => {
    const allowedPattern = allowed.map((name) => name.replace('/', '\\/')).join('|');
    const outside = allowed.length
      ? `^\\.\\.\\/(?!(?:${allowedPattern})(?:\\/|$))`
      : '^\\.\\.\\/';
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            ...(pureFolders.has(folder)
              ? { paths: [{ name: 'vscode', message: `src/${folder} is pure (plain Node or the browser): no vscode import.` }] }
              : {}),
            patterns: [
              {
                regex: outside,
                message: `src/${folder} may import only ${allowed.length ? allowed.join(', ') : 'its own files'} (docs/ARCHITECTURE.md).`,
              },
            ],
          },
        ],
      },
    };
  });
}

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
  // Layers, per folder (docs/ARCHITECTURE.md): each folder of src/ may import only the folders listed for it.
  // api, shared, prompts and context are pure (plain Node and the browser): they import nothing outside themselves, never vscode.
  ...layerRules(),
  // Activation loads src/extension.ts and what it imports (dist/extension.js); the rest waits in dist/features.js.
  {
    files: ['src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\/(?:chat|commands|edit|webview|prompts|context|errors|api|shared|features$|requests\\/(?!activity$)|attachments\\/(?!terminal$)|selection\\/(?!problems$))',
              allowTypeImports: true,
              message: 'src/extension.ts loads at startup: the features are required on first use (docs/ARCHITECTURE.md).',
            },
          ],
        },
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
