/**
 * `npm run -s ask -- "问题"` prints the reply; `--json` one contract object; `--jsonl` reads one
 * question a line on stdin and writes one object a line, in order.
 */
import readline from 'node:readline';
import { toContract } from '../core/knowledge/answer.ts';
import { loadContentOrExit } from './cli-support.ts';
import { renderPlain } from '../core/render/plain.ts';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const unknown = [...flags].filter((f) => !['--json', '--jsonl'].includes(f));
if (unknown.length) {
  console.error(`Unknown option ${unknown.join(' ')}. Usage: npm run -s ask -- [--json] "问题" | --jsonl < questions.txt`);
  process.exit(2);
}
const { kb } = loadContentOrExit();

if (flags.has('--jsonl')) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out: string[] = [];
  const flush = (): void => {
    if (out.length) process.stdout.write(out.join(''));
    out.length = 0;
  };
  for await (const line of rl) {
    out.push(`${JSON.stringify(toContract(kb.answerer.ask(line)))}\n`);
    if (out.length >= 256) flush();
  }
  flush();
} else {
  const question = args.filter((a) => !a.startsWith('--')).join(' ');
  const answer = kb.answerer.ask(question);
  if (flags.has('--json')) console.log(JSON.stringify(toContract(answer)));
  else console.log(renderPlain(answer.answer));
}
