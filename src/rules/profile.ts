import { z } from 'zod';
import { extractFacts, mergeFacts, type Facts } from './facts.ts';

const sizeValue = z
  .enum(['micro_small', 'medium', 'large', '小微', '小微企业', '小型', '微型', '中型', '中型企业', '大型', '大型企业'], {
    error: '企业规模（size）只能是“小微”“中型”或“大型”。',
  })
  .transform((v): Facts['size'] => (/micro|小|微/.test(v) ? 'micro_small' : /medium|中/.test(v) ? 'medium' : 'large'));

const loanKindValue = z
  .enum(['working_capital', 'fixed_asset', 'other', '流动资金贷款', '流贷', '固定资产贷款', '其他'], {
    error: '贷款类型（kind）只能是“流动资金贷款”“固定资产贷款”或“其他”。',
  })
  .transform((v) => (/working|流/.test(v) ? 'working_capital' : /fixed|固定/.test(v) ? 'fixed_asset' : 'other'));

const isoDate = z
  .string({ error: '日期须为 YYYY-MM-DD 格式。' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD 格式。')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().startsWith(s), '日期不存在，请检查。');

const money = z.number({ error: '金额须为数字（单位：元）。' }).positive('金额须大于0。').max(1e13, '金额过大，请检查单位（元）。');
const percent = z.number({ error: '费率须为数字（单位：%）。' }).min(0, '费率不能为负数。').max(100, '费率须在0～100之间（单位：%）。');
const flag = (name: string) => z.boolean({ error: `${name}须为 true 或 false。` }).optional();

/** An enterprise profile, as the check-up and the ask API accept it. */
export const profileSchema = z
  .object(
    {
      size: sizeValue.optional(),
      region: z.string({ error: '地区（region）须为文字。' }).max(50, '地区（region）过长。').optional(),
      loans: z
        .array(
          z.object({
            kind: loanKindValue.optional(),
            dueDate: isoDate.optional(),
            amountYuan: money.optional(),
          }),
          { error: '贷款（loans）须为数组。' },
        )
        .max(20, '贷款最多20笔。')
        .optional(),
      guarantees: z
        .array(z.object({ amountYuan: money.optional(), ratePercent: percent.optional() }), { error: '担保（guarantees）须为数组。' })
        .max(20, '担保最多20笔。')
        .optional(),
      creditIssue: z.enum(['行政处罚', '严重失信', '异常经营名录'], { error: '信用问题（creditIssue）只能是“行政处罚”“严重失信”或“异常经营名录”。' }).optional(),
      hasPenalty: flag('是否受过处罚（hasPenalty）'),
      everBorrowed: flag('是否获得过银行贷款（everBorrowed）'),
      stateGridSupplier: flag('是否为国家电网供应链企业（stateGridSupplier）'),
      techEnterprise: flag('是否为科技型企业（techEnterprise）'),
      listingPlan: flag('是否有上市计划（listingPlan）'),
      equityFinancing: flag('是否寻求股权融资（equityFinancing）'),
      covidAffected: flag('是否受疫情影响（covidAffected）'),
      lacksCollateral: flag('是否抵押物不足（lacksCollateral）'),
      description: z.string({ error: '情况说明（description）须为文字。' }).max(2000, '情况说明请控制在2000字以内。').optional(),
    },
    { error: '企业信息（profile）须为对象。' },
  )
  .strict();

export type Profile = z.infer<typeof profileSchema>;

/**
 * The facts a profile states. The first loan and guarantee stand for the
 * enterprise in conversation; the check-up decides each one separately.
 */
export function profileFacts(profile: Profile, today: string): Facts {
  let facts: Facts = profile.description ? extractFacts(profile.description, today) : {};
  const stated: Facts = {
    size: profile.size,
    region: profile.region,
    everBorrowed: profile.everBorrowed,
    stateGridSupplier: profile.stateGridSupplier,
    techEnterprise: profile.techEnterprise,
    listingPlan: profile.listingPlan,
    equityFinancing: profile.equityFinancing,
    covidAffected: profile.covidAffected,
    lacksCollateral: profile.lacksCollateral,
    creditIssue: profile.creditIssue ?? (profile.hasPenalty ? '行政处罚' : undefined),
  };
  const loan = profile.loans?.[0];
  if (loan) {
    stated.hasLoan = true;
    if (loan.kind === 'working_capital' || loan.kind === 'fixed_asset') stated.loanKind = loan.kind;
    if (loan.dueDate) {
      stated.dueDate = loan.dueDate;
      stated.dueDatePrecision = 'day';
    }
  }
  const guarantee = profile.guarantees?.[0];
  if (guarantee) {
    stated.hasGuarantee = true;
    stated.guaranteeAmountYuan = guarantee.amountYuan;
    stated.guaranteeRatePercent = guarantee.ratePercent;
  }
  facts = mergeFacts(facts, stated);
  return facts;
}
