import { execFileSync } from 'node:child_process';

/** Builds the client assets once, as the server serves them from dist/client. */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build-client.mjs'], { stdio: 'inherit' });
}
