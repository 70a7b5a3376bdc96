/**
 * `npm run -s ask -- "问题"` prints the reply; `--json` one contract object; `--jsonl` reads one
 * question a line on stdin and writes one object a line, in order. With OPENAI_* configured, unsure
 * questions are routed through the model (same output contract); otherwise fully offline.
 */
import readline from 'node:readline';
import { toContract, type Answer } from '../core/knowledge/answer.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';
import { createLogger } from '../core/logger.ts';
import { createMemoryUsageStore } from '../core/llm/token-budget.ts';
import { buildLlmServices } from './llm-services.ts';
import { renderPlain } from '../core/render/plain.ts';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const unknown = [...flags].filter((f) => !['--json', '--jsonl'].includes(f));
if (unknown.length) {
  console.error(`Unknown option ${unknown.join(' ')}. Usage: npm run -s ask -- [--json] "问题" | --jsonl < questions.txt`);
  process.exit(2);
}
const config = configOrExit();
const content = loadContentOrExit(config.contentDir);
const { kb } = content;
// One command, one budget: the daily budget of a long-running service is kept in its database instead.
const logger = createLogger(config.logLevel);
const services = config.openai
  ? buildLlmServices(config, content, { usage: createMemoryUsageStore(), logger, notifyStaff: (text) => logger.warn({ notice: text }, 'staff notice') })
  : undefined;
await services?.prepare();
const assisted = services?.assistedAnswerer;
const ask = async (q: string): Promise<Answer> => (assisted ? assisted.ask(q) : kb.answerer.ask(q));

if (flags.has('--jsonl')) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out: string[] = [];
  const flush = (): void => {
    if (out.length) process.stdout.write(out.join(''));
    out.length = 0;
  };
  for await (const line of rl) {
    out.push(`${JSON.stringify(toContract(await ask(line)))}\n`);
    if (out.length >= 256) flush();
  }
  flush();
} else {
  const question = args.filter((a) => !a.startsWith('--')).join(' ');
  const answer = await ask(question);
  if (flags.has('--json')) console.log(JSON.stringify(toContract(answer)));
  else console.log(renderPlain(answer.answer));
}
