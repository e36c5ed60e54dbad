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

const builds = [
  // The extension host entry: activation stays small; the HTTP client is a separate bundle loaded on first use.
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [...common.plugins, markdownItApart, vscodeOnce],
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
