import type { Strings } from '../content/strings.ts';
import type { PersonalDataEraser } from '../privacy/personal-data.ts';
import type { BroadcastRepos } from './broadcast-repos.ts';

/**
 * /delete_me for broadcasts: the subscription (chat id, town, village) and the record of which
 * broadcasts reached the chat. Only the user's private chat is theirs to delete; a group's
 * subscription belongs to the group.
 */
export function createBroadcastEraser(repos: BroadcastRepos, strings: Strings): PersonalDataEraser {
  return {
    name: 'broadcast',
    async preview(userId) {
      const sub = await repos.subscribers.get(userId);
      return sub ? [strings.t('broadcast.erase.preview', { role: strings.t(`broadcast.roles.${sub.role}`) })] : [];
    },
    async erase(userId) {
      const had = await repos.subscribers.unsubscribe(userId);
      await repos.deliveries.forgetChat(userId);
      return had ? [strings.t('broadcast.erase.done')] : [];
    },
  };
}
