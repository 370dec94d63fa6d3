// The capture script, as `npm run lab -- capture-script` prints it for the
// user to run on their own server.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CAPTURE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'capture.sh');

export function captureScript(): string {
  return readFileSync(CAPTURE_SCRIPT, 'utf8');
}
