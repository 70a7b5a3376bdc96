import type { ProcessorRegistry } from './types.ts';

/**
 * Every processor, by job name. Features add theirs here (one line each); the in-process runner and
 * the bull worker both read this map, so a job runs the same code in either mode.
 */
export const processors: ProcessorRegistry = {};
