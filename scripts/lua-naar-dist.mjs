// The stores' Lua scripts sit beside their TypeScript in src/store/lua/; tsc copies no .lua files, so
// the build puts them beside the compiled modules (dist/src/store/lua/), where the loader reads them.
import { cpSync } from 'node:fs';

cpSync(new URL('../src/store/lua', import.meta.url), new URL('../dist/src/store/lua', import.meta.url), { recursive: true });
