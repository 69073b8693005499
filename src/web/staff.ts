/**
 * Staff answers, the chat's side: approved answers join the question bank (as a standard or a similar question) and
 * take effect in the chat without a restart — this instance reloads them at once, other instances (Worker isolates)
 * within STAFF_REFRESH_MS. The routes staff use to write and review them are in src/web/routes/admin.ts.
 */
import type { StaffAnswer, StaffAnswerStore } from '../db/staff-store.ts';
import type { CatalogueField } from '../match/catalogue.ts';
import type { BankPlacement } from '../understand/bank.ts';
import type { StaffAnswers, StaffEntry } from '../understand/staff.ts';

/** How stale another instance's staff answers may get before it looks for changes. */
export const STAFF_REFRESH_MS = 30_000;

/** Staff answers as the admin routes and the chat share them (made by {@link staffSync}). */
export interface StaffDeps {
  store: StaffAnswerStore;
  /** The catalogue fields staff can attach a question to. */
  fields: CatalogueField[];
  /** Stored answers as the chat uses them (catalogue fields read as the catalogue now gives them; gone ones left out). */
  current(answers: StaffAnswer[]): StaffEntry[];
  /** Where answers (in the order given) join the question bank. */
  place(answers: StaffEntry[]): Map<string, BankPlacement>;
  /** Reloads the approved answers into the chat when they changed (at once with `force`). */
  refresh(force?: boolean): Promise<void>;
}

/** What a chat's staff answers are kept in step with. */
export interface StaffTargets {
  matcher: StaffAnswers;
  bank: { place(answers: StaffEntry[]): Map<string, BankPlacement> };
  fields: CatalogueField[];
}

/**
 * Keeps a chat's staff answers in step with the store: reloads when anything changed, looking at most every `ttlMs`.
 * An answer attached to a catalogue field takes the field's span as the catalogue now gives it (one whose field is
 * gone is left out).
 */
export function staffSync(store: StaffAnswerStore, targets: StaffTargets, onChange: () => void, now: () => number = Date.now, ttlMs = STAFF_REFRESH_MS): StaffDeps {
  let checkedAt = -Infinity;
  let seen = -1;
  const resolve = current(targets.fields);
  const inEffect = (answers: StaffAnswer[]) => answers.map(resolve).filter((a): a is StaffEntry => a !== null);
  return {
    store,
    fields: targets.fields,
    current: inEffect,
    place: (answers) => targets.bank.place(answers),
    async refresh(force = false) {
      if (!force && now() - checkedAt < ttlMs) return;
      checkedAt = now();
      const changed = await store.lastChange();
      if (!force && changed === seen) return;
      seen = changed;
      targets.matcher.load(inEffect(await store.approved()));
      onChange();
    },
  };
}

/** A stored answer as the chat uses it: a catalogue field's span read from the catalogue as it now is; null when the field is gone. */
function current(fields: CatalogueField[]): (answer: StaffAnswer) => StaffEntry | null {
  const byId = new Map(fields.map((f) => [f.id, f]));
  return ({ id, question, kind, docId, start, end, quote, section, field }) => {
    if (!field) return { id, question, kind, docId, start, end, quote, section };
    const f = byId.get(field);
    return f ? { id, question, kind, docId: f.docId, start: f.start, end: f.end, quote: f.quote, section: f.label } : null;
  };
}
