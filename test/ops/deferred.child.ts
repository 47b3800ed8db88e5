// Run by deferred-modules.test.ts in a process of its own: builds the app on the database named by
// the environment, answers one article page, and prints the packages loaded by then.
import { createRequire } from 'node:module';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { connect } from '../../src/db/connect.js';

const config = loadConfig();
const conn = connect(config);
const app = await buildApp({ db: conn.db, dialect: conn.dialect, config, logger: false });
await app.ready();
const page = await app.inject({ url: process.argv[2], headers: { 'accept-encoding': 'gzip, deflate, br' } });
const packages = new Set<string>();
for (const file of Object.keys(createRequire(import.meta.url).cache)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (m) packages.add(m[1]);
}
await app.close();
await conn.close();
process.stdout.write(JSON.stringify({ status: page.statusCode, packages: [...packages].sort() }));
