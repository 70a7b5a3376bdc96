/** Runs the strict fake Bot API as its own process for benchmarks; prints its apiRoot and token as JSON. */
import { startFakeBotApi } from '../test/support/fake-bot-api.ts';

const api = await startFakeBotApi();
process.stdout.write(`${JSON.stringify({ apiRoot: api.apiRoot, token: api.token })}\n`);
// Benchmarks send thousands of messages; keep memory flat by dropping the recordings now and then.
setInterval(() => api.reset(), 2000).unref();
process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
