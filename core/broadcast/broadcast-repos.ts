import type { Database } from '../storage/database.ts';
import { createBroadcastStore, type BroadcastStore } from './broadcast-store.ts';
import { createDeliveries, type Deliveries } from './deliveries.ts';
import { createSubscribers, type Subscribers } from './subscribers.ts';

/** The broadcast repositories together, as the bot and the processors use them. */
export interface BroadcastRepos {
  readonly subscribers: Subscribers;
  readonly store: BroadcastStore;
  readonly deliveries: Deliveries;
}

export function createBroadcastRepos(database: Database): BroadcastRepos {
  return { subscribers: createSubscribers(database), store: createBroadcastStore(database), deliveries: createDeliveries(database) };
}
