/**
 * `npm run -s kb -- lint` checks all content (exit 1 on an error);
 * `npm run -s kb -- export [--judge]` prints the knowledge base as JSON (--judge: with the emergency rules);
 * `npm run -s kb -- misses` lists unanswered and 👎 questions grouped by similarity.
 */
import { lintKnowledgeBase } from '../core/knowledge/lint.ts';
import { clusterTexts } from '../core/knowledge/cluster.ts';
import { openDatabase } from '../core/storage/database.ts';
import { createQuestionLog } from '../core/storage/question-log.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';

const [command, ...rest] = process.argv.slice(2);
const usage = 'Usage: npm run -s kb -- lint | export [--judge] | misses [--json]';

async function main(): Promise<number> {
  const config = configOrExit();
  const content = loadContentOrExit(config.contentDir);
  const { kb } = content;
  switch (command) {
    case 'lint': {
      const problems = lintKnowledgeBase(kb);
      for (const p of problems) console.error(`${p.level}: ${p.file}: ${p.message}`);
      const errors = problems.filter((p) => p.level === 'error').length;
      const warnings = problems.length - errors;
      console.error(`${kb.entries.length} entries checked: ${errors} errors, ${warnings} warnings`);
      // The negative list and departments were validated by loadContentOrExit above (exit 1 naming the file).
      const { negativeList, departments } = content;
      console.error(`negative list: ${negativeList.areas.length} areas, ${negativeList.areas.reduce((n, a) => n + a.practices.length, 0)} practices; ${departments.all.length} departments`);
      return errors ? 1 : 0;
    }
    case 'export': {
      const out = kb.entries.map((e) => ({
        id: e.id, title: e.title, questions: e.questions, answer: e.answer, tags: e.tags, source: e.source,
        topic: e.topic, updated: e.updated, ...(e.more ? { more: e.more } : {}),
      }));
      // --judge adds the emergency rules, so a judge labelling blind questions can name the hazard.
      const rules = kb.triager.rules.map((r) => ({ id: r.id, label: r.label, numbers: r.numbers, firstSteps: r.actions }));
      console.log(JSON.stringify(rest.includes('--judge') ? { entries: out, emergencyRules: rules } : out, null, 2));
      return 0;
    }
    case 'misses': {
      const database = await openDatabase(config.databaseFile);
      try {
        const misses = await createQuestionLog(database).misses();
        const clusters = clusterTexts(misses, (m) => m.question, kb.normalizer);
        if (rest.includes('--json')) {
          console.log(JSON.stringify(clusters.map((c) => ({ count: c.items.length, example: c.representative, questions: c.items.map((i) => i.question) }))));
        } else if (!clusters.length) {
          console.log('No unanswered or 👎 questions yet.');
        } else {
          for (const c of clusters) {
            console.log(`${String(c.items.length).padStart(4)}  ${c.representative}`);
            for (const q of [...new Set(c.items.map((i) => i.question))].slice(1, 4)) console.log(`        · ${q}`);
          }
        }
        return 0;
      } finally {
        await database.close();
      }
    }
    default:
      console.error(usage);
      return 2;
  }
}

process.exitCode = await main();
