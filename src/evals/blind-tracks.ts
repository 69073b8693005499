import type { TrackSet } from './tracks.ts';

/** A track case as a blind writer gives it: campaigns and tracks by the names the documents use. */
export interface WrittenTrackCase {
  id: string;
  description: string;
  expect: {
    tracks?: Array<{ campaign: string; track: string }>;
    ineligible?: Array<{ campaign: string; track?: string; why: string; source: { file: string; quote: string } }>;
    noFit?: boolean;
  };
  note?: string;
}

/** What the import needs of a catalogue file: the campaign's id, its aliases and its tracks' titles. */
export interface CatalogueNames {
  id: string;
  campaign: string;
  aliases: string[];
  tracks: Array<{ id: string; title: string }>;
}

/** The writer's campaign names, by the catalogue's aliases (十大事件 covers both 十大 lists and the special lists). */
function campaignOf(name: string, catalogue: CatalogueNames[]): CatalogueNames {
  const found = catalogue.filter((c) => c.campaign.includes(name) || c.aliases.includes(name));
  if (found.length !== 1) throw new Error(`campaign 「${name}」 names ${found.length} campaigns of the catalogue`);
  return found[0];
}

const bare = (s: string) => s.replace(/[“”"「」\s]/g, '');

/** The track of a campaign the writer's name denotes: the one whose title holds the name, or whose title the name holds. */
function trackOf(campaign: CatalogueNames, name: string): string {
  const n = bare(name);
  const found = campaign.tracks.filter((t) => bare(t.title).includes(n) || n.includes(bare(t.title)));
  if (found.length !== 1) throw new Error(`track 「${name}」 of ${campaign.id} names ${found.length} tracks (${found.map((t) => t.id).join(', ') || 'none'})`);
  return found[0].id;
}

/**
 * Turns a blind writer's track cases (campaigns and tracks named as the documents name them) into a track set of
 * catalogue ids; the names stay on each case for judging the chat's answer. A name that does not denote exactly one
 * campaign or track is an error naming the case, never a guess.
 */
export function importWrittenTracks(written: { note?: string; today: string; cases: WrittenTrackCase[] }, catalogue: CatalogueNames[]): TrackSet {
  return {
    note: written.note,
    today: written.today,
    cases: written.cases.map((c) => {
      try {
        const tracks = (c.expect.tracks ?? []).map((t) => trackOf(campaignOf(t.campaign, catalogue), t.track));
        const ineligible = (c.expect.ineligible ?? []).map((x) => ({ campaign: campaignOf(x.campaign, catalogue).id, why: x.why, source: x.source }));
        return {
          id: c.id,
          description: c.description,
          expect: { ...(tracks.length ? { tracks } : {}), ...(ineligible.length ? { ineligible } : {}), ...(c.expect.noFit ? { noFit: true } : {}) },
          ...(tracks.length ? { trackNames: (c.expect.tracks ?? []).map((t) => t.track) } : {}),
          ...(c.note ? { note: c.note } : {}),
        };
      } catch (error) {
        throw new Error(`${c.id}: ${(error as Error).message}`);
      }
    }),
  };
}
