import type { Strings } from '../content/strings.ts';
import type { PersonalDataEraser } from '../privacy/personal-data.ts';
import { eraseVolunteer } from './duty.ts';
import { enqueueAll, type JobSink } from './job-requests.ts';
import type { VolunteerRepos } from './repos.ts';

/**
 * The volunteers' part of /delete_me: the profile (name, encrypted phone, town, community, skills,
 * availability) is deleted; places the person held on upcoming assignments are given back and the
 * next candidate invited (through `jobs`); past assignment records keep state and hours, anonymised.
 */
export function createVolunteerEraser(repos: VolunteerRepos, jobs: JobSink, strings: Strings): PersonalDataEraser {
  return {
    name: 'volunteers',
    async preview(userId) {
      return (await repos.volunteers.byUserId(userId)) ? [strings.t('volunteer.erase.preview')] : [];
    },
    async erase(userId) {
      const r = await eraseVolunteer(repos, userId);
      await enqueueAll(jobs, r.jobs);
      return r.erased ? [strings.t('volunteer.erase.done')] : [];
    },
  };
}
