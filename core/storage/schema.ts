import type { Generated } from 'kysely';

/** Database tables. Column types are kept to what SQLite and PostgreSQL both store the same way. */
export interface Schema {
  meta: { key: string; value: string };
  question_log: {
    id: Generated<number>;
    chat_hash: string;
    channel: string;
    question: string;
    entry_id: string | null;
    matched: number;
    emergency: number;
    score: number;
    feedback: number | null;
    created_at: string;
  };
  processed_updates: { update_id: number; created_at: string };
  update_inbox: { update_id: number; body: string; received_at: string };
  undelivered_sends: { id: Generated<number>; chat_id: number; update_id: number | null; method: string; priority: string; reason: string; created_at: Generated<string> };
  sessions: { key: string; value: string; updated_at: string };
  // Tips (migration 003). Times are ISO UTC; `day` is the Asia/Shanghai date (YYYYMMDD) of the tip.
  // Nothing in `tips` points at a person: the reporter link lives in tip_reporters only.
  tips: {
    id: Generated<number>;
    tracking_no: string;
    submission_key: string;
    day: string;
    area_id: string;
    practice_id: string | null;
    description: string;
    town_id: string | null;
    address: string | null;
    latitude: number | null;
    longitude: number | null;
    photos: string;
    real_name: number;
    status: string;
    version: number;
    department_id: string | null;
    result_note: string | null;
    duplicate_of: number | null;
    staff_marked_duplicate: number;
    reopen_count: number;
    awaiting_since: string | null;
    last_staff_action_at: string | null;
    overdue_posted_at: string | null;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
  };
  tip_counters: { day: string; seq: number };
  tip_reporters: {
    tip_id: number;
    chat_id: number;
    day: string;
    contact_enc: string | null;
    undeliverable_at: string | null;
    created_at: string;
  };
  tip_events: {
    id: Generated<number>;
    tip_id: number;
    action: string;
    actor: string;
    staff_id: number | null;
    note: string | null;
    department_id: string | null;
    status_after: string;
    reporter_notice: string | null;
    staff_notice: string | null;
    notice_claimed_at: string | null;
    staff_message_id: number | null;
    created_at: string;
  };
  tip_prompts: {
    chat_id: number;
    message_id: number;
    tip_id: number;
    action: string;
    version: number;
    card_message_id: number | null;
    staff_id: number;
    created_at: string;
  };
  tip_identity_views: { id: Generated<number>; tip_id: number; staff_id: number; outcome: string; viewed_at: Generated<string> };
  // Volunteers (migration 004). JSON arrays of content ids in skills/availability; times are ISO UTC.
  volunteers: {
    id: Generated<number>;
    user_id: number;
    name: string;
    phone_enc: string;
    town_id: string;
    community: string;
    skills: string;
    availability: string;
    status: string;
    paused_until: string | null;
    consent_version: string;
    consent_at: string;
    created_at: string;
    updated_at: string;
  };
  assignments: {
    id: Generated<number>;
    title: string;
    description: string;
    town_id: string;
    place: string;
    starts_at: string;
    ends_at: string;
    skills: string;
    needed: number;
    status: string;
    created_by: number;
    submission_key: string;
    full_notified_at: string | null;
    exhausted_notified_at: string | null;
    created_at: string;
  };
  assignment_members: {
    id: Generated<number>;
    assignment_id: number;
    volunteer_id: number | null;
    state: string;
    slot: number | null;
    invite_sent_at: string | null;
    reminded_at: string | null;
    notified_state: string | null;
    responded_at: string | null;
    checked_in_at: string | null;
    checked_out_at: string | null;
    minutes: number | null;
    report_text: string | null;
    report_photo: string | null;
    created_at: string;
  };
  // Broadcast fan-out and the in-process job queue (migration 002). Job times are epoch ms.
  broadcast_subscribers: {
    chat_id: number;
    chat_type: string;
    role: string;
    town_id: string;
    village: string | null;
    active: number;
    inactive_reason: string | null;
    created_at: string;
    updated_at: string;
  };
  broadcast_scripts: {
    id: Generated<number>;
    slot: string;
    kind: string;
    date: string;
    urgent: number;
    payload: string;
    created_by: number | null;
    created_at: string;
    completed_at: string | null;
  };
  broadcast_urgent: { date: string; text: string; set_by: number; set_at: string };
  broadcast_deliveries: {
    id: Generated<number>;
    script_id: number;
    chat_id: number;
    role: string;
    town_id: string | null;
    status: string;
    attempts: number;
    error: string | null;
    updated_at: string;
  };
  jobs: {
    id: string;
    name: string;
    data: string;
    priority: number;
    run_at: number;
    attempts: number;
    attempts_made: number;
    status: string;
    locked_by: string | null;
    locked_until: number | null;
    last_error: string | null;
    created_at: number;
    finished_at: number | null;
  };
  // Optional language model (migration 005): daily token usage and the first rewrite outcome per day.
  llm_usage: { day: string; tokens: number; noticed: number; updated_at: string };
  script_rewrites: { date: string; source_hash: string; text: string | null; reason: string; created_at: string };
}
