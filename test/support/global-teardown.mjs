import fs from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__testBroker?.stop();
  if (globalThis.__testBrokerDataDir)
    fs.rmSync(globalThis.__testBrokerDataDir, { recursive: true, force: true });
}
