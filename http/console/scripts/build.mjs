// Builds the console into the directory given as the only argument: index.html, its scripts and
// styles under assets/ with content hashes in their names (so the node can let browsers cache
// them for good), and assets.txt listing those files for the node to serve.
//
//   node scripts/build.mjs <out-dir>

import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv[2];
if (!outArg) {
  console.error('usage: node scripts/build.mjs <out-dir>');
  process.exit(2);
}
const out = resolve(outArg);
const assets = join(out, 'assets');

// Earlier builds' hashed files would otherwise pile up in the jar.
rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  outdir: assets,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const files = Object.keys(result.metafile.outputs).map((file) => relative(out, join(root, file)));
const script = files.find((file) => file.endsWith('.js'));
const style = files.find((file) => file.endsWith('.css'));
const tags = [
  style ? `<link rel="stylesheet" href="/console/${style}" />` : '',
  `<script type="module" src="/console/${script}"></script>`,
]
  .filter(Boolean)
  .join('\n    ');
const page = readFileSync(join(root, 'src', 'index.html'), 'utf8').replace('<!--assets-->', tags);
writeFileSync(join(out, 'index.html'), page);
writeFileSync(join(out, 'assets.txt'), `${files.sort().join('\n')}\n`);
console.log(`console: built ${files.map((file) => basename(file)).join(', ')} into ${out}`);
