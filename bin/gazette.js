#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(built)) {
  console.error('gazette is not built yet: run "npm run build" (npm install does it for you).');
  process.exit(1);
}
await import(built);
