/**
 * Runs the fake AnyAPI server on its own: `node out/test/support/fakeAnyApiMain.js [--port N]`.
 * Prints `FAKE_ANYAPI_URL=http://127.0.0.1:PORT` and runs until SIGTERM / SIGINT.
 */
import { startFakeAnyApi } from './fakeAnyApi';

async function main(): Promise<void> {
  const index = process.argv.indexOf('--port');
  const port = index >= 0 ? Number(process.argv[index + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: fakeAnyApiMain [--port N]');
    process.exit(2);
  }
  const fake = await startFakeAnyApi({ port });
  console.log(`FAKE_ANYAPI_URL=${fake.url}`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
