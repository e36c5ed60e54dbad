// Builds the extension host bundles (node/cjs) and the chat view bundle (browser/iife).
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of the `$esbuild-watch` problem matcher (from the `yo code` template). */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcherPlugin],
};

/**
 * markdown-it (with entities and linkify-it, most of the host's code) is a bundle of its own, dist/markdown-it.js:
 * answerCode requires it on first use, and VS Code's "load code" time of activation no longer parses it.
 */
const markdownItApart = {
  name: 'markdown-it-apart',
  setup(build) {
    build.onResolve({ filter: /^markdown-it$/ }, () => ({ path: './markdown-it.js', external: true }));
  },
};

/**
 * Every module imports `vscode`; bundled as an external, each import would copy the whole API object (hundreds of
 * properties) into a namespace of its own when the bundle loads. Resolved through one re-exporting module instead,
 * the API is copied once.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const hostBundle = {
  ...common,
  absWorkingDir: __dirname,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

/**
 * The source files dist/extension.js is made of: src/extension.ts and what it imports. Found by building it without
 * writing, and shared with dist/features.js. A single build finds them once for both bundles; `--watch` finds them
 * again at the start of every rebuild, so it follows a new import.
 */
let startupModulesOnce;
function startupModules() {
  if (watch) return findStartupModules();
  startupModulesOnce ??= findStartupModules();
  return startupModulesOnce;
}

async function findStartupModules() {
  const result = await esbuild.build({
    ...hostBundle,
    plugins: [markdownItApart, vscodeOnce],
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs)
    .filter((input) => input.startsWith('src/') && input !== 'src/extension.ts')
    .sort();
}

/**
 * dist/extension.js is src/extension.ts plus a table of the modules it is made of (`__shared`, by source path), so
 * that dist/features.js uses these very modules (one key store, one logger, one settings scope) instead of copies.
 */
const startupEntry = {
  name: 'startup-entry',
  setup(build) {
    build.onResolve({ filter: /^anyapi-startup$/ }, () => ({ path: 'anyapi-startup', namespace: 'startup-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'startup-entry' }, async () => {
      const modules = await startupModules();
      const imports = modules.map((file, index) => `import * as m${index} from './${file}';`).join('\n');
      const table = modules.map((file, index) => `  ${JSON.stringify(file)}: m${index},`).join('\n');
      return {
        contents: `export * from './src/extension.ts';\n${imports}\nexport const __shared = {\n${table}\n};\n`,
        resolveDir: __dirname,
        loader: 'ts',
      };
    });
  },
};

/** In dist/features.js, a module dist/extension.js is made of is taken from its `__shared` table. */
const sharedWithStartup = {
  name: 'shared-with-startup',
  setup(build) {
    let shared = new Set();
    build.onStart(async () => {
      shared = new Set(await startupModules());
    });
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.namespace === 'startup-shared') return { path: './extension.js', external: true };
      if (args.pluginData?.sharing) return undefined;
      const result = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { sharing: true } });
      if (result.errors.length > 0) return { errors: result.errors };
      const file = path.relative(__dirname, result.path).split(path.sep).join('/');
      return shared.has(file) ? { path: file, namespace: 'startup-shared' } : { path: result.path, external: result.external, sideEffects: result.sideEffects };
    });
    build.onLoad({ filter: /.*/, namespace: 'startup-shared' }, (args) => ({
      contents: `module.exports = require('./extension.js').__shared[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

const builds = [
  // The extension host entry: only what activation needs. The features, the HTTP client and markdown-it are bundles
  // of their own, each loaded on first use.
  {
    ...hostBundle,
    entryPoints: { extension: 'anyapi-startup' },
    outdir: 'dist',
    plugins: [...common.plugins, startupEntry, markdownItApart, vscodeOnce],
  },
  {
    ...hostBundle,
    entryPoints: ['src/features.ts'],
    outfile: 'dist/features.js',
    plugins: [...common.plugins, sharedWithStartup, markdownItApart, vscodeOnce],
  },
  {
    ...common,
    entryPoints: { 'markdown-it': require.resolve('markdown-it') },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/api/index.ts'],
    outfile: 'dist/api.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
];

if (fs.existsSync(path.join(__dirname, 'src/webview-ui/main.ts'))) {
  builds.push({
    ...common,
    entryPoints: { webview: 'src/webview-ui/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.ttf': 'file' },
  });
}

async function main() {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  try {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
