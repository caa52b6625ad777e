// The project root, whether tests run from test/ or from their compiled copies in dist/test/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function zoek(dir: string): string {
  if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src'))) return dir;
  const boven = path.dirname(dir);
  if (boven === dir) throw new Error('project root not found');
  return zoek(boven);
}

export const ROOT = zoek(path.dirname(fileURLToPath(import.meta.url)));
