// Builds the Go binaries once before any test runs (a no-op when they are current).
import { buildGo } from '../lab/go/build.js';

export default async function setup(): Promise<void> {
  await buildGo((line) => console.log(line));
}
