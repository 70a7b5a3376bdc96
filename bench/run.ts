/** `npm run bench`: every benchmark, each writing bench/results/<name>.json. */
import { runRetrievalBench } from './retrieval.ts';
import { runBotBench } from './bot-throughput.ts';
import { runLlmAssistBench } from './llm-assist.ts';
import { runFanoutBench } from './broadcast-fanout.ts';
import { runCalibration } from './calibrate.ts';
import { runDistressBench } from './distress.ts';
import { runBlindBench } from './blind.ts';
import { runSendPathBench } from './send-path.ts';

const only = process.argv[2];
const benches: Record<string, () => unknown> = {
  calibrate: runCalibration,
  // Retrains content/lexicon/distress-model.json (deterministic: the same sets give the same file).
  distress: runDistressBench,
  retrieval: runRetrievalBench,
  // Questions by writers who never saw the knowledge base, labelled by a judge: the check (README).
  blind: runBlindBench,
  bot: () => runBotBench(),
  'llm-assist': runLlmAssistBench,
  fanout: runFanoutBench,
  // Replies under Telegram's limits during a fan-out; emergencies with Redis hanging (issue 13).
  send: runSendPathBench,
};
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`== ${name}`);
  const r = (await run()) as Record<string, unknown>;
  const { misses: _m, falseAccepts: _f, ...summary } = r;
  console.log(JSON.stringify(summary, null, 2));
}
