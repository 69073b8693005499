/**
 * Every tuning constant of the service — retrieval, reading questions, answering — in one place, with what each
 * trades. The measurements that chose them are in docs/benchmarks.md (the command and its figures), not here.
 * Changing one changes answers: run `npm run eval` (and the blind sets) before and after.
 */

/** Retrieval (src/search): how the lexical and vector rankings are fused. */
export const SEARCHING = {
  /** Hits each ranking (BM25, vectors) brings to the fusion. */
  candidates: 40,
  /** Reciprocal-rank fusion constant: a hit at rank r adds weight / (rrfK + r + 1). Smaller favours the very top of each ranking. */
  rrfK: 20,
  /** The vector ranking's weight in the fusion, against 1 for BM25: the hashed embedder is weaker evidence than shared words. */
  vectorWeight: 0.6,
  /** Weight of a follow-up's inherited context terms against the question's own (1). */
  contextWeight: 0.35,
  /** Weight of a synonym-list expansion's tokens in the BM25 query, against 1 for the question's own. */
  expansionWeight: 0.4,
} as const;

/** Reading questions (src/understand): the question bank, staff answers, names typed with a slip. */
export const UNDERSTANDING = {
  /** Weights of character uni-, bi- and trigrams when short texts (bank questions) are compared. */
  gramWeights: [0.25, 1, 0] as readonly number[],
  /** Weight of a bank entry's second-closest question in its score (the closest weighs 1): several close ways of asking are better evidence than one. */
  bankSecondQuestionWeight: 0.5,
  /**
   * How alike a question must be to a staff answer's question to get it directly: the same question in other
   * punctuation, particles or courtesies (「金融兴辽奖金多少？」「请问金融兴辽奖金多少呀」), not a merely related one.
   */
  staffSameQuestion: 0.85,
  /**
   * How much of a bank entry's text a staff passage must share to be the same fact (shared characters over the two
   * spans' union): a clause picked inside the entry's sentence, or the sentence around the entry's clause, is; a
   * paragraph around a one-line entry is not.
   */
  staffSameFactOverlap: 0.6,
  /** Subject names at least this long are still recognised with one character mistyped. */
  typoMinLength: 4,
  /** The same for the names of measures, platforms and service points, whose shorter names are everyday words. */
  typoMinLengthOther: 5,
} as const;

/** Answering (src/answer): the evidence gate, the question bank's acceptance, typed and listed answers. */
export const ANSWERING = {
  /** Share of the question's term weight one passage must cover before a retrieved passage answers; below it the service declines. */
  minCoverage: 0.45,
  /** Below this coverage, and naming nothing the domain knows, a question is out of scope rather than unanswered. */
  outOfScopeCoverage: 0.3,
  /** Passages retrieval hands to the evidence gate. */
  retrieveK: 8,
  /** Extractive answers kept in memory by default (ANSWER_CACHE_SIZE overrides; 0 turns the cache off). */
  answerCacheSize: 2000,
  /** Question-bank similarity (cosine of character n-grams, 0–1) at which a bank entry answers a question naming no subject. Lower answers more colloquial questions and risks answering the wrong fact. */
  bankAccept: 0.4,
  /** The same when the question names (or inherits) a subject: the bank is then searched inside that subject only, so a lower bar is safe. */
  bankAcceptWithSubject: 0.35,
  /** Share of the question's own words (subject names and cue words aside) the entry's quotes must cover. */
  bankQuoteCoverage: 0.2,
  /** Without a subject, the best entry must beat the best entry of another document by this much; a near tie is no decision. */
  bankMargin: 0.05,
  /** Similarity above which a bank question answers even when the user's cue words suggest another asked type (「邮件主题怎么写」 is not asking for the 邮箱). */
  bankTrust: 0.5,
  /** Similarity a bank yes/no question needs before its verdict is carried over to the user's question. */
  verdictAccept: 0.6,
  /** When a subject holds several values of the asked type, the chosen sentence must cover this share of the question's own words. */
  typedMinCoverage: 0.34,
  /** Credit (0–1) for a question term a sentence covers only through a synonym, against 1 for the word itself: among sentences that state the asked kind of value, 「截止」 picks 「报送截止时间」 over 「征集遴选（即日起—10月20日）」. */
  synonymCredit: 0.7,
  /** Sentences before a candidate (same section) whose words also point at it: a contact line is about what the sentence above it describes. */
  typedContextSentences: 5,
  /** Credit (0–1) for a question term found only in those sentences before. */
  typedContextCredit: 0.5,
  /** Share of the question's own words (subject names and cue words aside) a named field's line must cover to answer it. */
  fieldMinCoverage: 0.5,
  /** …or this smaller share, when no other sentence of the type covers more than typedWinnerMargin of what the best one does. */
  typedWinnerCoverage: 0.25,
  typedWinnerMargin: 0.5,
  /** Bonus (share of the question's word weight) for a sentence that fills in a field of the asked type (主办单位：, 咨询电话：). */
  typedFieldBonus: 0.3,
  /** A bare line is a value (「辽宁省人民政府办公厅」 under a notice) when a value of the asked type fills this share of it. */
  valueLineShare: 0.6,
  /** A steps answer keeps the how-to sentences that score at least this share of the best one. */
  stepsKeepShare: 0.5,
  /**
   * A question word this common across the corpus (its weight below this) that the subject's own text never uses
   * (「服务」 in 「首贷中心服务什么样的企业」) names no detail of it and tells none of its sentences apart.
   */
  typedCommonWeight: 2,
  /** A bare heading (「五、评审标准」) leads the lines under it as a list only when its own words are at least this share of the question's. */
  bareLeadCoverage: 0.5,
  /** The subject's own enumeration replaces the bank's answer to a list question only when the question's words point at it this many times as much. */
  listOverBank: 1.3,
  /**
   * An elliptic follow-up is read as asking about the sentence the previous answer quoted only when the words it
   * has of its own weigh at most this much (about one word: 「测一次得等多久」); more words name a new aspect
   * (「辽科贷一户最多能贷多少」) and are looked for as usual.
   */
  nearMaxWeight: 6.5,
  /**
   * When no value of a kind is asked and nothing more specific answered, the subject's one sentence the question's own
   * words point at answers: it must cover this share of their weight…
   */
  pointedMinCoverage: 0.6,
  /** …and no sentence apart from it may cover more than this share of what it covers. */
  pointedMargin: 0.75,
  /** Sentences a typed answer shows at most. */
  typedMaxSentences: 3,
  /** A longer sentence is narrowed to the clauses around the value it states. */
  typedQuoteMax: 120,
  /** Items of an enumeration («包括以下…：») an answer gives: the whole list, up to this many. */
  listItemsMax: 12,
  /** Sentences of a subject's own text an overview answer (「省里帮不帮」「有啥说法」) gives. */
  overviewSentences: 3,
  /** Sentences a 「然后呢」 follow-up gives from where the previous answer stopped. */
  nextSentences: 3,
  /** Sentences shown when a follow-up asks to expand one listed item. */
  itemMaxSentences: 6,
} as const;
