#!/usr/bin/env node
// Runs the built CLI; `npm run build` (or scripts/start) makes dist/. The development commands
// (certs --dev, dev-smtp, dev-oidc) come from dist/dev/, which the service itself never loads.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ontwikkeling = ['certs', 'dev-smtp', 'dev-oidc'].includes(process.argv[2] ?? '');
const cli = new URL(ontwikkeling ? '../dist/dev/cli.js' : '../dist/src/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('signaalbrug: not built yet; run `npm run build` first');
  process.exit(2);
}
const { run } = await import(cli.href);
await run(process.argv.slice(2));
