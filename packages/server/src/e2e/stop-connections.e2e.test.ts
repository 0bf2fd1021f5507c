// A stop is bounded by its grace whatever the clients do (issue 12 part 3): a connection that was opened
// and never sent a request counts as busy for Node until its headers timeout (a minute), and an event
// stream stays open as long as the job runs; neither may hold `stop()` past the grace.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { it } from 'node:test';
import { startTestServer } from '../testing/harness.js';

it('stop() closes a connection that never sent a request once the grace is over', async () => {
  const s = await startTestServer();
  const { port } = new URL(s.baseURL);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  const started = Date.now();
  await s.umbra.stop(300);
  const took = Date.now() - started;
  await closed;
  assert.ok(took < 3000, `stopped in ${took} ms`);
  await s.stop();
});
