import { pinyin } from 'pinyin-pro';

/** Characters of Chinese text: the only ones a pinyin input method can slip on. */
const HAN = /^[\u4e00-\u9fff]+$/;
/** Longest and shortest words looked for. */
const MIN_WORD = 2;
const MAX_WORD = 8;
/** The documents' own words are taken from three characters up: two-character runs sound like too many everyday words. */
const CORPUS_WORD_MIN = 3;
/** Characters too common to make a corpus n-gram a word of its own (以下, 一下, 我们). */
const FUNCTION_CHARS = /[的了是在和与及或以一不也都而为之其此等者所将对于从向被把由这那有个们我你他她它您俺咱啥吗呢吧啊哈么]/;

/** What follows a detail's name when it is asked for (邮箱多少、地址呗、电话是啥、网址在哪). */
const DETAIL_ASKED_AFTER = /^(?:多少|是多少|是啥|是什么|是哪|啥|呗|在哪|给我|发我)/;

function syllables(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array' });
}

/**
 * Homophone slips of a pinyin input method (「带款」 for 贷款, 「留动资金」 for 流动资金, 「争信」 for 征信, 「新质生产立」 for
 * 新质生产力), read back as the domain's own words. A stretch of the question is replaced only when it is not itself in
 * the documents, sounds exactly like one word of the domain's vocabulary (the same syllables, tones aside), shares a
 * character with it in place, and no other word of the vocabulary sounds the same. Everything else stays as typed.
 */
export class SpellingReader {
  /** Words by their syllables, each key holding every word that sounds so. */
  private byKey: Map<string, Set<string>> | null = null;
  /** The detail words by their syllables (built when first needed). */
  private detailKeys: Map<string, Set<string>> | null = null;
  /** Every word of the vocabulary. */
  private readonly known = new Set<string>();

  /**
   * `words` is the domain's vocabulary (read when first needed); `keep` are words never rewritten, though they sound like
   * one of it (房贷 is a question outside the documents, not 放贷 mistyped).
   */
  constructor(
    private readonly words: () => Iterable<string>,
    private readonly corpusText: string,
    private readonly keep: string[] = [],
    private readonly details: string[] = [],
  ) {}

  /** The question with its homophone slips read as the domain's words; the question itself when it has none. */
  read(question: string): string {
    const keys = this.keys();
    let out = '';
    for (const run of question.split(/([\u4e00-\u9fff]+)/)) {
      out += HAN.test(run) && run.length >= MIN_WORD ? this.readRun(run, keys) : run;
    }
    return out;
  }

  /** The one detail word that sounds like `typed` and shares a character with it in place, when `typed` is no word of the documents. */
  private detailFor(typed: string, key: string): string | null {
    if (this.corpusText.includes(typed) || FUNCTION_CHARS.test(typed)) return null;
    this.detailKeys ??= soundIndex(this.details);
    const near = [...(this.detailKeys.get(key) ?? [])].filter((w) => w !== typed && w.length === typed.length && [...w].some((ch, i) => ch === typed[i]));
    return near.length === 1 ? near[0] : null;
  }

  private readRun(run: string, keys: Map<string, Set<string>>): string {
    const sounds = syllables(run);
    if (sounds.length !== run.length) return run;
    const kept = new Array<boolean>(run.length).fill(false);
    for (const word of this.keep) {
      for (let at = run.indexOf(word); word && at >= 0; at = run.indexOf(word, at + 1)) kept.fill(true, at, at + word.length);
    }
    let out = '';
    let at = 0;
    while (at < run.length) {
      let taken = 0;
      for (let length = Math.min(MAX_WORD, run.length - at); length >= MIN_WORD && !taken; length--) {
        const typed = run.slice(at, at + length);
        // (A word naming a detail, asked for right after it — 「申报邮想多少」「具体地只呗」「驿站的电化是啥」 — is read back to it.)
        const detail = length === MIN_WORD && DETAIL_ASKED_AFTER.test(run.slice(at + length)) ? this.detailFor(typed, sounds.slice(at, at + length).join(' ')) : null;
        if (detail && !kept.slice(at, at + length).some(Boolean)) {
          out += detail;
          taken = length;
          continue;
        }
        const heard = keys.get(sounds.slice(at, at + length).join(' '));
        if (!heard || heard.has(typed) || FUNCTION_CHARS.test(typed) || kept.slice(at, at + length).some(Boolean)) continue;
        const near = [...heard].filter((word) => [...word].some((ch, i) => ch === typed[i]));
        if (near.length !== 1 || this.corpusText.includes(typed) || this.attachesNeighbour(typed, near[0])) continue;
        // Two characters sound like too many everyday words (房贷/放贷, 只能/智能): such a slip is read only where the word
        // it becomes stands in the documents beside the same neighbour (「首带中心」 → 首贷中, 「的补帖」 → 的补贴).
        if (length === MIN_WORD && !this.corpusText.includes(run.slice(Math.max(0, at - 1), at) + near[0]) && !this.corpusText.includes(near[0] + run.slice(at + length, at + length + 1))) continue;
        out += near[0];
        taken = length;
      }
      if (!taken) {
        out += run[at];
        taken = 1;
      }
      at += taken;
    }
    return out;
  }

  /**
   * Whether the only slip is a neighbour at one end of a stretch the documents hold as typed (「第三届金融」: 届金融 sounds
   * like 解金融, but 金融 is a word as typed and 届 belongs to 第三届): then nothing was mistyped. (「留动资金」 is a slip:
   * 动资金 is no word of its own.)
   */
  private attachesNeighbour(typed: string, word: string): boolean {
    const differs = [...typed].map((ch, i) => ch !== word[i]);
    const rest = (from: number, to: number) => {
      const kept = typed.slice(from, to);
      return kept.length >= 2 && (this.known.has(kept) || (kept.length === 2 && this.corpusText.includes(kept)));
    };
    if (differs.filter(Boolean).length !== 1) return false;
    return (differs[0] && rest(1, typed.length)) || (differs[typed.length - 1] && rest(0, typed.length - 1));
  }

  private keys(): Map<string, Set<string>> {
    if (this.byKey) return this.byKey;
    for (const word of this.words()) if (HAN.test(word) && word.length >= MIN_WORD && word.length <= MAX_WORD) this.known.add(word);
    this.byKey = soundIndex(this.known);
    return this.byKey;
  }
}

/** Words by their syllables (tones aside), each key holding every word that sounds so; a word pinyin cannot split per character is left out. */
function soundIndex(words: Iterable<string>): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const word of words) {
    const sounds = syllables(word);
    if (sounds.length !== word.length) continue;
    const key = sounds.join(' ');
    index.set(key, (index.get(key) ?? new Set<string>()).add(word));
  }
  return index;
}

/**
 * The documents' own words for the reader: runs of two to four characters the documents use at least twice, each time
 * between different neighbours on both sides (so a word, not a piece of one: 申报表 is one, 新案 of 创新案例 is not), none
 * of them a function character (so 以下 and 我们 are no words of the domain).
 */
export function corpusWords(texts: string[]): string[] {
  const seen = new Map<string, { n: number; left: Set<string>; right: Set<string> }>();
  for (const text of texts) {
    for (const run of text.match(/[\u4e00-\u9fff]+/g) ?? []) {
      for (let length = CORPUS_WORD_MIN; length <= 4; length++) {
        for (let at = 0; at + length <= run.length; at++) {
          const word = run.slice(at, at + length);
          if (FUNCTION_CHARS.test(word)) continue;
          const entry = seen.get(word) ?? { n: 0, left: new Set<string>(), right: new Set<string>() };
          entry.n++;
          entry.left.add(run[at - 1] ?? '^');
          entry.right.add(run[at + length] ?? '$');
          seen.set(word, entry);
        }
      }
    }
  }
  return [...seen].filter(([, e]) => e.n >= 2 && e.left.size >= 2 && e.right.size >= 2).map(([word]) => word);
}
