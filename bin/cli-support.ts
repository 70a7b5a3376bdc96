import { parseConfig, type Config } from '../core/config.ts';
import { loadContent, type Content } from '../core/content/load-content.ts';
import { ConfigError, ContentError } from '../core/errors.ts';

/** Parses config for a CLI command, printing a clear message and exiting 1 on a bad variable. */
export function configOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

/** Loads and validates content, naming the bad file and reason and exiting 1 when it is broken. */
export function loadContentOrExit(dir = configOrExit().contentDir): Content {
  try {
    return loadContent(dir);
  } catch (e) {
    if (e instanceof ContentError) {
      console.error(`Content error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}
