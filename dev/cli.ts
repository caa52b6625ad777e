// The development commands of `signaalbrug`: the dev PKI (`certs --dev`), a local SMTP server that
// keeps every message as .eml (`dev-smtp`) and an OpenID Provider with a dev user per werkplek role (`dev-oidc`). They live apart from the service, which never imports
// them; bin/signaalbrug.js runs them. The SMTP sink needs the devDependency smtp-server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GebruikFout } from '../src/cli/gebruik.js';
import { run as cliRun } from '../src/cli.js';

async function main(argv: string[]): Promise<number> {
  const [opdracht, ...rest] = argv;
  switch (opdracht) {
    case 'certs': {
      const { values } = parseArgs({ args: rest, options: { dev: { type: 'boolean' }, dir: { type: 'string' } }, strict: true });
      if (!values.dev) throw new GebruikFout('alleen de ontwikkel-PKI kan hier worden gemaakt: signaalbrug certs --dev; productie gebruikt PKIoverheid (zie certs/README.md)');
      const dir = path.resolve(values.dir ?? 'certs/dev');
      const { createDevPki } = await import('./dev-pki.js');
      const { created, kept } = await createDevPki(dir);
      console.log(`${dir}: ${created.length} aangemaakt, ${kept.length} bestonden al`);
      for (const f of created) console.log(`  + ${f}`);
      return 0;
    }
    case 'dev-smtp': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, dir: { type: 'string' }, certs: { type: 'string' } }, strict: true });
      const certs = path.resolve(values.certs ?? 'certs/dev');
      const log = (await import('../src/logger.js')).createLogger();
      const { startSink } = await import('./smtp-sink.js').catch((err: { code?: string }) => {
        if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
        throw new GebruikFout('dev-smtp is alleen voor ontwikkeling en heeft de devDependencies nodig (npm ci zonder --omit=dev)');
      });
      const sink = await startSink({
        dir: path.resolve(values.dir ?? 'var/mail'), port: Number(values.port ?? 2525),
        key: readFileSync(path.join(certs, 'server.key')), cert: readFileSync(path.join(certs, 'server.crt')),
        log: (regel) => log.info(regel),
      });
      log.info({ port: sink.port, dir: sink.dir }, 'dev-smtp luistert');
      const stop = () => void sink.stop().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      return -1;
    }
    case 'dev-oidc': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, certs: { type: 'string' }, werkplek: { type: 'string', multiple: true } }, strict: true });
      const certs = path.resolve(values.certs ?? 'certs/dev');
      const log = (await import('../src/logger.js')).createLogger();
      const { startDevOp, DEV_WERKPLEK_GEBRUIKERS } = await import('./oidc-provider.js').catch((err: { code?: string }) => {
        if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
        throw new GebruikFout('dev-oidc is alleen voor ontwikkeling en heeft de devDependencies nodig (npm ci zonder --omit=dev)');
      });
      const werkplek = values.werkplek?.length ? values.werkplek : [`https://localhost:${process.env.WERKPLEK_PORT || 8445}`];
      const op = await startDevOp({
        port: Number(values.port ?? 8446), key: readFileSync(path.join(certs, 'server.key')), cert: readFileSync(path.join(certs, 'server.crt')),
        werkplekUrls: werkplek.map((u) => u.replace(/\/+$/, '')), log: (regel) => log.info(regel),
      });
      log.info({ issuer: op.issuer, werkplek, gebruikers: DEV_WERKPLEK_GEBRUIKERS.map((g) => g.id) }, 'dev-oidc luistert');
      const stop = () => void op.stop().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      return -1;
    }
    default:
      throw new GebruikFout(`onbekende ontwikkelopdracht: ${opdracht}`);
  }
}

export const run = (argv: string[]) => cliRun(argv, main);
