// Streams a 500 KB answer from the fake AnyAPI through the client and checks speed and memory targets:
// the cost of a delta must not grow with the answer, and the client must not hold more than the answer.
//   node out/bench/clientStream.bench.js
import { createResponse } from '../src/api/index';
import { startFakeAnyApi } from '../test/support/fakeAnyApi';
import { report } from './report';

const ANSWER_BYTES = 500_000;

async function main(): Promise<void> {
  const fake = await startFakeAnyApi({ chunkDelayMs: 0 });
  try {
    // Warm up undici and the JIT so the measured run is the steady state a user meets.
    await createResponse(
      { model: 'gpt-5.1', input: [{ role: 'user', content: 'warm up [[fake:long:20000]]' }], stream: true },
      { baseUrl: fake.url, apiKey: 'sk-test-bench' },
    );
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const deltaTimes: number[] = [];
    let last = performance.now();
    let received = 0;
    const started = performance.now();
    const result = await createResponse(
      { model: 'gpt-5.1', input: [{ role: 'user', content: `bench [[fake:long:${ANSWER_BYTES}]]` }], stream: true },
      {
        baseUrl: fake.url,
        apiKey: 'sk-test-bench',
        onDelta: (text) => {
          const now = performance.now();
          deltaTimes.push(now - last);
          last = now;
          received += text.length;
        },
      },
    );
    const elapsedMs = performance.now() - started;
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const tenth = Math.max(1, Math.floor(deltaTimes.length / 10));
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const firstTenth = mean(deltaTimes.slice(1, tenth + 1));
    const lastTenth = mean(deltaTimes.slice(-tenth));
    const ok = report('client: stream a 500 KB answer', [
      { name: 'answer bytes', value: Buffer.byteLength(result.text), target: `>= ${ANSWER_BYTES}`, pass: Buffer.byteLength(result.text) >= ANSWER_BYTES },
      { name: 'deltas', value: deltaTimes.length, target: '> 100', pass: deltaTimes.length > 100 },
      { name: 'total ms', value: Math.round(elapsedMs), target: '< 5000', pass: elapsedMs < 5000 },
      { name: 'throughput MB/s', value: +(received / 1e6 / (elapsedMs / 1000)).toFixed(2), target: '>= 0.5', pass: received / 1e6 / (elapsedMs / 1000) >= 0.5 },
      {
        name: 'ms per delta, last tenth / first tenth',
        value: +(lastTenth / firstTenth).toFixed(2),
        target: '< 3 (a delta costs the same late in the answer)',
        pass: lastTenth / firstTenth < 3 || lastTenth < 0.05,
      },
      {
        name: 'heap growth MB',
        value: +((heapAfter - heapBefore) / 1e6).toFixed(2),
        target: '< 20',
        pass: heapAfter - heapBefore < 20e6,
      },
    ]);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await fake.close();
  }
}

void main();
