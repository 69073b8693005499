/**
 * The model reads questions too (LLM_READ_QUESTIONS): its reading, as structured output, fills what the offline
 * reader left open, after the gazetteer, the asked-type lexicon and the question's own words accept it; the
 * offline reading breaks every tie; an eligibility decided on a fact only the model read says so.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptModelReading, factsFillingGaps, withModelReading, type FrameInput, type ModelFrame } from '../../src/answer/model-frame.ts';
import { createServices, type Services } from '../../src/runtime/node/services.ts';
import type { Frame } from '../../src/understand/frame.ts';
import { startOpenAiStub, stubbedConfig, type OpenAiStub } from '../support/openai-stub.ts';

const NONE = { size: null, loanKind: null, dueDate: null, guaranteeAmountYuan: null, guaranteeRatePercent: null, region: null };
const reading = (r: Omit<Partial<ModelFrame>, 'facts'> & { facts?: Partial<ModelFrame['facts']> }): ModelFrame => ({ subjects: [], asked: [], ...r, facts: { ...NONE, ...r.facts } });
const input = (question: string): FrameInput => ({
  question,
  subjects: [
    { id: 'jxl', name: '金融兴辽' },
    { id: 'renewal', name: '无还本续贷' },
  ],
  types: [
    { type: 'date', label: '日期/截止' },
    { type: 'yesno', label: '是否' },
  ],
  today: '2026-11-22',
});

describe('acceptModelReading', () => {
  it('keeps only subjects and types the vocabularies know', () => {
    const accepted = acceptModelReading(reading({ subjects: ['jxl', 'made-up'], asked: ['date', 'poem'] }), input('那个辽宁的征集啥时候截止'));
    expect(accepted.subjects).toEqual(['jxl']);
    expect(accepted.asked).toEqual(['date']);
  });

  it('keeps a fact only when the question states it in its own words', () => {
    const q = '咱家厂子规模中等，流动资金贷款明年三月到期，担保500万，费率1%';
    const accepted = acceptModelReading(
      reading({ facts: { size: 'medium', loanKind: 'working_capital', dueDate: '2027-03-31', guaranteeAmountYuan: 5_000_000, guaranteeRatePercent: 1 } }),
      input(q),
    );
    expect(accepted.facts).toEqual({ size: 'medium', loanKind: 'working_capital', dueDate: '2027-03-31', guaranteeAmountYuan: 5_000_000, guaranteeRatePercent: 1 });
    expect(accepted.assumptions[0]).toBe('企业规模：中型企业');
  });

  it('drops a fact the question does not state (a guessed size, another month, an amount never written)', () => {
    const accepted = acceptModelReading(
      reading({ facts: { size: 'large', dueDate: '2027-05-31', guaranteeAmountYuan: 8_000_000, region: '吉林省' } }),
      input('我们厂子流贷明年三月到期，担保500万，能续贷不'),
    );
    expect(accepted.facts).toEqual({});
    expect(accepted.assumptions).toEqual([]);
  });

  it('fills only the gaps of the offline frame and facts: the offline reading breaks ties', () => {
    const offline = { named: [], subjects: [], subjectInherited: false, asked: [], types: [], typesInherited: false, years: [], editions: [], localities: [], followUp: false } as Frame;
    const merged = withModelReading(offline, { subjects: ['jxl'], asked: ['date'], facts: {}, assumptions: [] });
    expect(merged.subjects).toEqual(['jxl']);
    expect(merged.types).toEqual(['date']);
    const named = { ...offline, named: ['renewal'], subjects: ['renewal'], asked: ['yesno'], types: ['yesno'] } as Frame;
    expect(withModelReading(named, { subjects: ['jxl'], asked: ['date'], facts: {}, assumptions: [] })).toEqual(named);
    expect(factsFillingGaps({ size: 'medium', loanKind: 'working_capital' }, { size: 'micro_small' })).toEqual({ loanKind: 'working_capital' });
  });
});

describe('the model reading questions through the service', () => {
  let stub: OpenAiStub;
  let services: Services;
  let plain: Services;
  const dirs: string[] = [];
  const fallbacks: string[] = [];
  const configFor = (read: boolean) => stubbedConfig(stub, dirs, { EMBEDDINGS: 'local', LLM_READ_QUESTIONS: String(read) });
  const QUESTION = '咱家厂子规模中等，流动资金贷款明年三月到期，能无还本续贷不';

  beforeAll(async () => {
    stub = await startOpenAiStub();
    const logger = { info: () => {}, warn: (event: string, fields?: Record<string, unknown>) => void (event === 'llm_fallback' && fallbacks.push(String(fields?.reason))), error: () => {} };
    services = await createServices(configFor(true), { logger });
    plain = await createServices(configFor(false), { logger });
  });
  afterAll(async () => {
    services?.close();
    plain?.close();
    await stub?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    stub.reset();
    fallbacks.length = 0;
  });

  /** The model reads the size it is told to; drafting answers fails, so the rules' own answer is what shows. */
  const script = (size: ModelFrame['facts']['size']) =>
    stub.setChat((request) =>
      request.toolName === 'frame'
        ? { draft: reading({ subjects: ['no-such-subject'], asked: ['yesno'], facts: { size, loanKind: 'working_capital', dueDate: '2027-03-31' } }) }
        : { status: 400 },
    );

  it('without it, the offline reader misses the size and the rules ask for it', async () => {
    script('medium');
    const answer = await plain.answers.answer({ question: QUESTION });
    expect(stub.chatRequests().map((r) => r.toolName)).not.toContain('frame');
    expect(answer.situation?.outcome).toBe('need_info');
  });

  it('with it, a size the question states and the model read decides, and the answer says it was read so', async () => {
    script('medium');
    const answer = await services.answers.answer({ question: QUESTION });
    const frameCall = stub.chatRequests().find((r) => r.toolName === 'frame')!;
    expect(frameCall.system).toContain('主体列表');
    expect(frameCall.human).toContain(QUESTION);
    expect(answer.situation?.facts.size).toBe('medium');
    expect(answer.situation?.outcome).not.toBe('need_info');
    expect(answer.answer).toContain('以上判断按对您问题的理解：企业规模：中型企业');
  });

  it('a size the question does not state is not taken from the model', async () => {
    script('large');
    const answer = await services.answers.answer({ question: QUESTION });
    expect(answer.situation?.facts.size).toBeUndefined();
    expect(answer.situation?.outcome).toBe('need_info');
    expect(answer.answer).not.toContain('以上判断按对您问题的理解');
  });

  it('the offline reader is the fallback when the model reading fails', async () => {
    stub.setChat(() => ({ status: 400 }));
    const answer = await services.answers.answer({ question: QUESTION });
    expect(answer.situation?.outcome).toBe('need_info');
    expect(fallbacks.some((f) => f.startsWith('model reading of the question failed'))).toBe(true);
  });
});
