/**
 * Starts all three emulators once per test file and points process.env and the shared SDK
 * clients (lib/adapters/clients.ts) at them; stops them after the file's last test.
 *
 * @example
 * const emu = useEmulators();
 * test('writes a bar', async () => { await s3Client().send(...); emu().endpoints.s3; });
 */
import { after, before } from 'node:test';
import { type EmulatorOptions, type Emulators, startEmulators } from '../../lib/local/emulators.ts';

export function useEmulators(opts?: EmulatorOptions): () => Emulators {
  let emu: Emulators | undefined;
  before(async () => {
    emu = await startEmulators(opts);
    emu.applyEnv();
  });
  after(async () => {
    await emu?.stop();
  });
  return () => {
    if (!emu) throw new Error('emulators are not running (useEmulators() must be called at module or describe level)');
    return emu;
  };
}
