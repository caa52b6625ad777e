#!/usr/bin/env node
// Runs the built CLI; `npm run build` (or scripts/start) makes dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('signaalbrug: not built yet; run `npm run build` first');
  process.exit(2);
}
const { run } = await import(cli.href);
await run(process.argv.slice(2));
